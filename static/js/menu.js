// The header's menu is a <details> (it works without JavaScript). On a wide screen there is room
// for the whole menu: keep it open and hide its button; on a phone, give the button back closed.
(function () {
  "use strict";
  var menu = document.querySelector(".menu-disclosure");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 64rem)");
  function sync() {
    menu.classList.toggle("is-wide", wide.matches);
    menu.open = wide.matches;
  }
  sync();
  wide.addEventListener("change", sync);
})();
