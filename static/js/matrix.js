// The attendance matrix opens at its newest session, beside the rates: the names stay
// fixed on the left (app.css), the older sessions lie a swipe away.
for (const box of document.querySelectorAll("[data-opens-at-end]")) {
  box.scrollLeft = box.scrollWidth;
}
