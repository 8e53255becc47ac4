from django.urls import path  # noqa: F401 (each part below adds its pages)

app_name = "documents"

urlpatterns = [
    # The person's documents page: profile, CV, photo, consent, card links.
    # Certificates (Teilnahmebescheinigung): a person's, a cohort's.
    # The card sheet (PDF).
]
