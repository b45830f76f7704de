// Parley works without JavaScript; this only adds confirmations to
// buttons that carry data-confirm.
document.addEventListener("submit", function (ev) {
  var btn = ev.submitter;
  if (btn && btn.dataset && btn.dataset.confirm && !window.confirm(btn.dataset.confirm)) {
    ev.preventDefault();
  }
});
