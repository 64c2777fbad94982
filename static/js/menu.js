// Menus that are a <details> (they work without JavaScript): the header's menu and the back
// office's left navigation. On a wide screen there is room for the whole menu: keep it open and
// hide its button; on a phone, give the button back closed.
(function () {
  "use strict";
  var menus = document.querySelectorAll(".menu-disclosure, details[data-wide-open]");
  if (!menus.length || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 64rem)");
  function sync() {
    for (var i = 0; i < menus.length; i++) {
      menus[i].classList.toggle("is-wide", wide.matches);
      menus[i].open = wide.matches;
    }
  }
  sync();
  wide.addEventListener("change", sync);
  // Escape closes an open phone menu and gives the focus back to its button (the disclosure
  // pattern); on a wide screen the menu is part of the page and stays.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || wide.matches) return;
    for (var i = 0; i < menus.length; i++) {
      var menu = menus[i];
      if (menu.open && menu.contains(document.activeElement)) {
        menu.open = false;
        var summary = menu.querySelector("summary");
        if (summary) summary.focus();
        event.preventDefault();
      }
    }
  });
})();
