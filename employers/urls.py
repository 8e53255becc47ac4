from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    path("employers/", views.EmployerListView.as_view(), name="list"),
    path("employers/new/", views.EmployerCreateView.as_view(), name="create"),
    path("employers/vacancies/", views.OpenVacanciesView.as_view(), name="vacancies"),
    path("employers/due/", views.ActivitiesDueView.as_view(), name="due"),
    path("employers/<int:pk>/", views.EmployerDetailView.as_view(), name="detail"),
    path("employers/<int:pk>/edit/", views.EmployerUpdateView.as_view(), name="update"),
    path("employers/<int:pk>/merge/", views.EmployerMergeView.as_view(), name="merge"),
    path("employers/<int:pk>/contacts/", views.ContactCreateView.as_view(), name="contact"),
    path("employers/<int:pk>/contacts/<int:contact_pk>/", views.ContactUpdateView.as_view(),
         name="contact_update"),
    path("employers/<int:pk>/vacancies/new/", views.VacancyFormView.as_view(),
         name="vacancy_create"),
    path("employers/<int:pk>/vacancies/<int:vacancy_pk>/", views.VacancyDetailView.as_view(),
         name="vacancy"),
    path("employers/<int:pk>/vacancies/<int:vacancy_pk>/edit/", views.VacancyFormView.as_view(),
         name="vacancy_update"),
    path("employers/<int:pk>/activities/new/", views.ActivityCreateView.as_view(),
         name="activity_create"),
    path("cohorts/<int:pk>/applications/", views.CohortApplicationsView.as_view(),
         name="board"),
    path("cohorts/<int:pk>/applications/new/", views.ApplicationCreateView.as_view(),
         name="application_create"),
    path("applications/<int:pk>/move/", views.ApplicationMoveView.as_view(), name="move"),
    path("applications/<int:pk>/hire/", views.ApplicationHireView.as_view(), name="hire"),
    path("enrolments/<int:pk>/integration/", views.IntegrationCreateView.as_view(),
         name="integration_create"),
    path("followups/<int:pk>/", views.FollowUpRecordView.as_view(), name="followup"),
]
