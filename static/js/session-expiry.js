// Shortly before the idle timeout (data-session-warning seconds before the
// data-session-seconds of <body>, from SESSION_COOKIE_AGE) a dialog offers to stay logged
// in; after the timeout it says so. Each page load, each "stay logged in" and each page
// loaded in another tab of this browser (localStorage) start the count again.
(() => {
  const dialog = document.getElementById("session-expiry");
  const seconds = Number(document.body.dataset.sessionSeconds);
  if (!dialog || !seconds || !window.bootstrap) {
    return;
  }
  const warning = Number(document.body.dataset.sessionWarning) * 1000;
  const modal = bootstrap.Modal.getOrCreateInstance(dialog);
  const form = dialog.querySelector("form");
  const stay = dialog.querySelector("[data-session-stay]");
  const RENEWED = "werkakademie.session-renewed";
  let deadline = 0;
  let state = "";
  let returnFocus = null;

  function show(name) {
    state = name;
    for (const element of dialog.querySelectorAll("[data-session-state]")) {
      element.hidden = !element.dataset.sessionState.split(" ").includes(name);
    }
    dialog.querySelector("[data-session-end]").textContent = new Date(deadline)
      .toLocaleTimeString(document.documentElement.lang || "de",
                          {hour: "2-digit", minute: "2-digit"});
    if (dialog.classList.contains("show")) {
      focusAction(); // from "stay logged in", now hidden, to what is left to press
    } else {
      returnFocus = document.activeElement;
      modal.show();
    }
  }

  function focusAction() {
    (state === "over" ? dialog.querySelector(".modal-footer [data-bs-dismiss]") : stay).focus();
  }

  function renewed(at, age) {
    deadline = at + age * 1000;
    state = "";
    modal.hide();
  }

  function check() {
    const left = deadline - Date.now();
    if (left <= 0 && state !== "over") {
      show("over");
    } else if (left > 0 && left <= warning && !state) {
      show("soon");
    }
  }

  dialog.addEventListener("shown.bs.modal", focusAction);
  dialog.addEventListener("hidden.bs.modal", () => {
    if (returnFocus && document.contains(returnFocus)) {
      returnFocus.focus();
    }
    returnFocus = null;
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    stay.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: {"X-CSRFToken": form.elements.csrfmiddlewaretoken.value},
        credentials: "same-origin",
      });
      if (response.status === 401) {
        show("over");
        return;
      }
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const now = Date.now();
      renewed(now, (await response.json()).seconds);
      tellOtherTabs(now);
    } catch {
      show("failed");
    } finally {
      stay.disabled = false;
    }
  });

  // Another tab loaded a page or stayed logged in: the session was renewed for this one too.
  window.addEventListener("storage", (event) => {
    if (event.key === RENEWED && event.newValue) {
      renewed(Number(event.newValue), seconds);
    }
  });

  function tellOtherTabs(at) {
    try {
      localStorage.setItem(RENEWED, String(at));
    } catch {
      // Storage may be off: each tab then counts for itself.
    }
  }

  const loaded = Date.now();
  tellOtherTabs(loaded);
  renewed(loaded, seconds);
  setInterval(check, 1000);
})();
