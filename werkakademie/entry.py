"""The page after login: straight into the only jobcenter, else a choice.

It is the project's own page, not an app's: it leads to the start page of a jobcenter and
to the analysts' network views (reports), which a lower app may not name.
"""

from django.shortcuts import redirect, render


def choose_jobcenter(request):
    memberships = list(request.user.memberships.filter(is_active=True)
                       .select_related("jobcenter"))
    networks = list(request.user.networks.all())  # analysts' network views (reports app)
    if len(memberships) == 1 and not networks:
        return redirect("home", jc=memberships[0].jobcenter.code)
    return render(request, "choose_jobcenter.html",
                  {"choices": memberships, "networks": networks})
