"""This app's buttons on a person's page and a cohort's page (registered from `apps.py`)."""


def connect():
    pass
