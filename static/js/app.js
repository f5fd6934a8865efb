// Behaviour attached by data attributes, so that templates carry no inline script (Content-Security-Policy).

// <select data-autosubmit>: choosing an option submits its form (the board's branch filter).
document.addEventListener("change", function (event) {
  var select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.requestSubmit();
  }
});
