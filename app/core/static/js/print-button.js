// A button that prints the page (a sign-in sheet): scripts only from our own files.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
