from django.urls import path

from . import views

app_name = "participants"
urlpatterns = [
    path("participants/", views.ParticipantListView.as_view(), name="list"),
    path("participants/new/", views.ParticipantCreateView.as_view(), name="create"),
    path("participants/<int:pk>/", views.ParticipantDetailView.as_view(), name="detail"),
    path("participants/<int:pk>/edit/", views.ParticipantUpdateView.as_view(), name="update"),
    path("cohorts/<int:pk>/", views.CohortParticipantsView.as_view(), name="cohort"),
    path("cohorts/<int:pk>/enrol/", views.EnrolView.as_view(), name="enrol"),
    path("enrolments/<int:pk>/edit/", views.EnrolmentUpdateView.as_view(),
         name="enrolment_update"),
    path("enrolments/<int:pk>/exit/", views.EnrolmentExitView.as_view(), name="exit"),
    path("enrolments/<int:pk>/exit/withdraw/", views.EnrolmentExitWithdrawView.as_view(),
         name="exit_withdraw"),
    path("manage/audit/", views.AuditTrailView.as_view(), name="audit"),
]
