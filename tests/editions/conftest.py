"""The editions built from the notebooks: the student edition (`make student`), the HTML edition (`make html`), the
glossary. Tests marked ``notebooks`` execute whole notebooks; `make unit` leaves them out."""


def pytest_configure(config):
    config.addinivalue_line("markers", "notebooks: executes whole notebooks in a kernel (`make unit` leaves them out)")
