from django.urls import path  # noqa: F401 (each part below adds its pages)

from . import card_views, views
from .certificate_views import CertificateView, CohortCertificatesView

app_name = "documents"

urlpatterns = [
    # The person's documents page: profile, CV, photo, consent, card links.
    path("participants/<int:pk>/documents/", views.DocumentsPageView.as_view(),
         name="participant"),
    path("participants/<int:pk>/documents/profile/", views.ProfileSaveView.as_view(),
         name="profile_save"),
    path("participants/<int:pk>/documents/cv/", views.CvUploadView.as_view(), name="cv_upload"),
    path("participants/<int:pk>/documents/cv/remove/", views.CvRemoveView.as_view(),
         name="cv_remove"),
    path("participants/<int:pk>/documents/cv.pdf", views.CvDownloadView.as_view(), name="cv"),
    path("participants/<int:pk>/documents/photo/", views.PhotoUploadView.as_view(),
         name="photo_upload"),
    path("participants/<int:pk>/documents/photo/remove/", views.PhotoRemoveView.as_view(),
         name="photo_remove"),
    path("participants/<int:pk>/documents/photo.jpg", views.PhotoView.as_view(), name="photo"),
    path("participants/<int:pk>/documents/consent/", views.ConsentRecordView.as_view(),
         name="consent_record"),
    path("participants/<int:pk>/documents/consent/withdraw/",
         views.ConsentWithdrawView.as_view(), name="consent_withdraw"),
    path("participants/<int:pk>/documents/links/", views.LinkCreateView.as_view(),
         name="link_create"),
    path("participants/<int:pk>/documents/links/revoke/", views.LinkRevokeView.as_view(),
         name="link_revoke"),
    # Certificates (Teilnahmebescheinigung): a person's, a cohort's.
    path("enrolments/<int:pk>/certificate.pdf", CertificateView.as_view(), name="certificate"),
    path("cohorts/<int:pk>/certificates/", CohortCertificatesView.as_view(),
         name="cohort_certificates"),
    # The card sheet (PDF).
    path("participants/<int:pk>/card.pdf", card_views.CardSheetView.as_view(),
         name="card_sheet"),
]
