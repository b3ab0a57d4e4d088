// A "print" button on a page that has one (the event plan): the browser's print dialog. A file of
// its own because the Content-Security-Policy allows no inline script; enhanced navigation swaps
// pages without reloading, so the listener sits on the document.
document.addEventListener("click", function (event) {
  var button = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (button) {
    event.preventDefault();
    window.print();
  }
});
