"""Hand-derived backward passes for the losses in ``helpers.losses``.

Autograd can differentiate any loss we build from primitives, but it pays for every intermediate tensor: a
binary cross-entropy written as six elementwise operations is differentiated as six more. Each loss below has a
short closed-form gradient, so we write it once in a ``torch.autograd.Function``. The same formulas are what
PyTorch's C++ kernels use, so our gradients agree with torch's even where autograd's would not (at BCE's log
clamp, at sigmoid's saturation).

Taught in notebooks/03_binary_cross_entropy_with_tensors.ipynb and notebooks/06_cross_entropy_with_tensors.ipynb.
"""
import torch
from torch.autograd.function import once_differentiable


def reduce(loss, reduction):
    """Apply ``reduction`` ("none" | "mean" | "sum") to an elementwise loss."""
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


def _per_element(grad_output, reduction, count):
    """d(reduced loss)/d(each element's loss), times the incoming gradient."""
    return grad_output / count if reduction == "mean" else grad_output


def _sigmoid_from_exp(x, exp_neg_abs):
    """σ(x) given e = exp(-|x|): 1/(1+e) for x ≥ 0 and e/(1+e) for x < 0. Neither branch can overflow."""
    return torch.where(x >= 0, 1.0, exp_neg_abs) / (1 + exp_neg_abs)


class Sigmoid(torch.autograd.Function):
    """σ(x) = 1 / (1 + e^{−x}), with σ'(x) = σ(x)·(1 − σ(x)).

    The derivative reuses the forward's output, which is why frameworks save σ rather than x.
    """

    @staticmethod
    def forward(ctx, x):
        y = _sigmoid_from_exp(x, torch.exp(-x.abs()))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y) * y


class BinaryCrossEntropy(torch.autograd.Function):
    """ℓ = −w·[y·max(log q, −100) + (1 − y)·max(log(1 − q), −100)], q the model's probability of y = 1.

    Gradients:
        ∂ℓ/∂q = w·(q − y) / max(q(1 − q), 1e−12)    (finite even at q = 0 or 1, where log q is clamped)
        ∂ℓ/∂y = −w·log(q / (1 − q))                 (minus the logit of q)
    """

    @staticmethod
    def forward(ctx, q, y, weight, reduction):
        log_q = torch.log(q).clamp_(min=-100)
        log_1mq = torch.log1p(-q).clamp_(min=-100)
        loss = (y - 1) * log_1mq - y * log_q
        if weight is not None:
            loss = loss * weight
        ctx.save_for_backward(q, y, weight)
        ctx.reduction = reduction
        return reduce(loss, reduction)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        q, y, weight = ctx.saved_tensors
        g = _per_element(grad_output, ctx.reduction, q.numel())
        if weight is not None:
            g = g * weight
        grad_q = (q - y) / torch.clamp((1 - q) * q, min=1e-12) * g if ctx.needs_input_grad[0] else None
        grad_y = -torch.log(q / (1 - q)) * g if ctx.needs_input_grad[1] else None
        return grad_q, grad_y, None, None


class BinaryCrossEntropyWithLogits(torch.autograd.Function):
    """ℓ = w·[(1 − y)·x − (1 + (pw − 1)·y)·log σ(x)] for a logit x, target y, weight w and pos_weight pw.

    With pw = 1 this is BCE(σ(x), y) rearranged so that nothing overflows. Its gradient is the famous
        ∂ℓ/∂x = w·(σ(x) − y),
    and with pos_weight (which scales only the positive term −y·log σ(x) by pw):
        ∂ℓ/∂x = w·[(pw·y + 1 − y)·σ(x) − pw·y].
    The gradient with respect to the target is
        ∂ℓ/∂y = w·[log σ(−x) − pw·log σ(x)] = w·[(1 − pw)·log σ(x) − x],   which is −w·x when pw = 1.
    The forward keeps log σ(x), so the backward gets σ(x) = exp(log σ(x)) in one pass.
    """

    @staticmethod
    def forward(ctx, x, y, weight, pos_weight, reduction):
        # Every step writes into one of two buffers: at N = 3,000,000, filling a fresh tensor costs more than the math.
        buffer = x.abs().neg_().exp_().log1p_()              # log(1 + e^{−|x|})
        log_sigmoid = x.clamp(max=0).sub_(buffer)            # log σ(x) = min(x, 0) − log(1 + e^{−|x|})
        ctx.save_for_backward(x, y, weight, pos_weight, log_sigmoid)
        ctx.reduction = reduction
        if pos_weight is None and weight is None and y.dtype == x.dtype:
            one_minus_y = torch.sub(torch.ones((), dtype=y.dtype), y, out=buffer)
            if reduction == "none":
                return one_minus_y.mul_(x).sub_(log_sigmoid)  # (1 − y)·x − log σ(x), in torch's order
            # Reduced, fused: one pass for log σ(x) − (1 − y)·x = −ℓ, then 0 − Σ(−ℓ), which keeps a zero loss +0.
            negative_loss = torch.addcmul(log_sigmoid, one_minus_y, x, value=-1, out=buffer)
            ctx.spare_buffer = buffer  # free once reduced: the backward can write the gradient into it
            return 0.0 - reduce(negative_loss, reduction)
        log_weight = 1 if pos_weight is None else (pos_weight - 1) * y + 1
        loss = (1 - y) * x - log_sigmoid * log_weight  # float32 logits with a float64 target give float64, as in torch
        if weight is not None:
            loss = loss * weight
        return reduce(loss, reduction)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        x, y, weight, pos_weight, log_sigmoid = ctx.saved_tensors
        g = _per_element(grad_output, ctx.reduction, x.numel())
        if weight is not None:
            g = g * weight
        grad_x = grad_y = None
        if ctx.needs_input_grad[0]:
            spare, ctx.spare_buffer = getattr(ctx, "spare_buffer", None), None  # hand it out once: x.grad may keep it
            sigma = log_sigmoid.exp() if spare is None else torch.exp(log_sigmoid, out=spare)
            if pos_weight is None and y.dtype == x.dtype:
                grad_x = sigma.sub_(y).mul_(g)
            elif pos_weight is None:
                grad_x = (sigma - y) * g
            else:
                pw_y = pos_weight * y
                grad_x = ((pw_y + 1 - y) * sigma - pw_y) * g
        if ctx.needs_input_grad[1]:
            grad_y = -x * g if pos_weight is None else ((1 - pos_weight) * log_sigmoid - x) * g
        return grad_x, grad_y, None, None, None


class SoftmaxCrossEntropy(torch.autograd.Function):
    """Cross-entropy of class-index targets on logits z, with class weights w and label smoothing ε.

    Per item i (ignored items contribute 0), with the model's q = softmax(z_i) and t = target_i:
        ℓ_i = (1 − ε)·w_t·(−log q_t) + (ε/C)·Σ_c w_c·(−log q_c) = −Σ_c p_c log q_c,
    where p_c = (1 − ε)·w_t·[c = t] + (ε/C)·w_c is the (weighted, smoothed) target. Since
    ∂(−log q_c)/∂z_j = q_j − [c = j], the gradient is
        ∂ℓ_i/∂z_j = Σ_c p_c·(q_j − [c = j]) = s·q_j − p_j,  with s = Σ_c p_c.
    Without weights or smoothing that is the famous q − onehot(t). "mean" divides by Σ w_t over kept items.
    """

    @staticmethod
    def forward(ctx, logits, target, weight, ignore_index, reduction, label_smoothing):
        cdim = 1 if logits.dim() > 1 else 0
        n_classes = logits.shape[cdim]
        kept = target != ignore_index
        index = target.masked_fill(~kept, 0).unsqueeze(cdim)
        weight_along_classes = None if weight is None else weight.view([-1] + [1] * (logits.dim() - cdim - 1))

        row_max = logits.amax(cdim, keepdim=True)
        row_max = torch.where(row_max == float("-inf"), 0.0, row_max)  # a +inf logit makes the row nan, as in torch
        shifted = logits - row_max
        shifted_target = shifted.gather(cdim, index).squeeze(cdim)
        if label_smoothing > 0:
            weighted = shifted if weight is None else shifted * weight_along_classes
            shifted_sum = weighted.sum(cdim)
        probs = shifted.exp_()
        sum_exp = probs.sum(cdim, keepdim=True)
        log_sum_exp = sum_exp.log().squeeze(cdim)
        probs.div_(sum_exp)

        w_target = torch.ones_like(log_sum_exp) if weight is None else weight[index.squeeze(cdim)]
        w_target = w_target.masked_fill(~kept, 0.0)
        loss = (w_target * (log_sum_exp - shifted_target)).masked_fill(~kept, 0.0)  # 0·inf would be nan
        total_class_weight = n_classes if weight is None else weight.sum()
        if label_smoothing > 0:
            smooth = (log_sum_exp * total_class_weight - shifted_sum).masked_fill(~kept, 0.0)
            loss = (1 - label_smoothing) * loss + (label_smoothing / n_classes) * smooth

        ctx.save_for_backward(probs, index, kept, w_target, weight_along_classes)
        ctx.settings = (cdim, n_classes, reduction, label_smoothing, total_class_weight)
        if reduction == "none":
            return loss
        if reduction == "sum":
            return loss.sum()
        denominator = w_target.sum()
        ctx.denominator = denominator
        return loss.sum() / denominator

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        probs, index, kept, w_target, weight_along_classes = ctx.saved_tensors
        cdim, n_classes, reduction, eps, total_class_weight = ctx.settings
        if reduction == "mean":
            if ctx.denominator == 0:  # every item ignored: the loss is nan, but nothing can change it
                return torch.zeros_like(probs), None, None, None, None, None
            g = (grad_output / ctx.denominator).expand_as(w_target)
        elif reduction == "sum":
            g = grad_output.expand_as(w_target)
        else:
            g = grad_output
        on_target = (1 - eps) * w_target
        kept = kept.to(probs.dtype)  # a bool mask times a Python float would be float32, even for float64 logits
        scale = g * (on_target + (eps / n_classes) * total_class_weight * kept)
        grad = probs * scale.unsqueeze(cdim)
        grad.scatter_add_(cdim, index, -(g * on_target).unsqueeze(cdim))
        if eps > 0:
            spread = (g * kept * (eps / n_classes)).unsqueeze(cdim)
            grad -= spread if weight_along_classes is None else spread * weight_along_classes
        return grad, None, None, None, None, None
