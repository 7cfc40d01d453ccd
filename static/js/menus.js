// The few interactive parts of the layout, on Bootstrap's markup and classes:
// - the phone menu: a button with data-bs-toggle="collapse" shows or hides its data-bs-target;
// - drop-down menus: a button with data-bs-toggle="dropdown" opens the .dropdown-menu beside it;
//   arrow keys move through its items, Escape, a click elsewhere or leaving it with Tab closes it;
// - messages: a button with data-bs-dismiss="alert" removes its .alert.
// Escape closes an open menu and puts the focus back on its button. Without this script the phone
// menu stays folded and drop-down menus closed, so pages keep their links elsewhere too.
(function () {
  "use strict";

  function setOpen(button, target, open) {
    target.classList.toggle("show", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  // --- The phone menu ---------------------------------------------------------------------------
  function collapseTarget(button) {
    var selector = button.getAttribute("data-bs-target");
    return selector ? document.querySelector(selector) : null;
  }

  function toggleCollapse(button) {
    var target = collapseTarget(button);
    if (!target) {
      return;
    }
    setOpen(button, target, !target.classList.contains("show"));
  }

  function openCollapseButtons() {
    return Array.prototype.filter.call(
      document.querySelectorAll('[data-bs-toggle="collapse"][aria-expanded="true"]'),
      function (button) {
        var target = collapseTarget(button);
        return target && target.classList.contains("show");
      }
    );
  }

  // --- Drop-down menus --------------------------------------------------------------------------
  function dropdownMenu(button) {
    var menu = button.nextElementSibling;
    return menu && menu.classList.contains("dropdown-menu") ? menu : null;
  }

  function items(menu) {
    return Array.prototype.slice.call(menu.querySelectorAll(".dropdown-item:not(.disabled):not(:disabled)"));
  }

  function openDropdown(button) {
    var menu = dropdownMenu(button);
    if (!menu) {
      return null;
    }
    closeDropdowns(null);
    // Bootstrap's CSS places a menu marked this way right below its button.
    menu.setAttribute("data-bs-popper", "static");
    button.classList.add("show");
    setOpen(button, menu, true);
    return menu;
  }

  function closeDropdown(button) {
    var menu = dropdownMenu(button);
    if (menu) {
      button.classList.remove("show");
      setOpen(button, menu, false);
    }
  }

  function openDropdownButtons() {
    return Array.prototype.slice.call(document.querySelectorAll('[data-bs-toggle="dropdown"][aria-expanded="true"]'));
  }

  function closeDropdowns(except) {
    openDropdownButtons().forEach(function (button) {
      if (button !== except) {
        closeDropdown(button);
      }
    });
  }

  function moveFocus(menu, step) {
    var list = items(menu);
    if (list.length === 0) {
      return;
    }
    var index = list.indexOf(document.activeElement);
    var next = index === -1 ? (step > 0 ? 0 : list.length - 1) : (index + step + list.length) % list.length;
    list[next].focus();
  }

  // --- Wiring -------------------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-bs-toggle], [data-bs-dismiss]");
    if (button && button.getAttribute("data-bs-toggle") === "collapse") {
      event.preventDefault();
      toggleCollapse(button);
      return;
    }
    if (button && button.getAttribute("data-bs-toggle") === "dropdown") {
      event.preventDefault();
      if (button.getAttribute("aria-expanded") === "true") {
        closeDropdown(button);
      } else {
        openDropdown(button);
      }
      return;
    }
    if (button && button.getAttribute("data-bs-dismiss") === "alert") {
      var alert = button.closest(".alert");
      if (alert) {
        alert.remove();
      }
      return;
    }
    // A click anywhere else closes an open drop-down menu (a click on one of its items follows the link).
    closeDropdowns(null);
  });

  document.addEventListener("keydown", function (event) {
    var dropdownButton = event.target.closest('[data-bs-toggle="dropdown"]');
    var openMenu = event.target.closest(".dropdown-menu.show");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var step = event.key === "ArrowDown" ? 1 : -1;
      if (dropdownButton) {
        event.preventDefault();
        var menu = openDropdown(dropdownButton);
        if (menu) {
          moveFocus(menu, step);
        }
      } else if (openMenu) {
        event.preventDefault();
        moveFocus(openMenu, step);
      }
      return;
    }
    if (event.key !== "Escape") {
      return;
    }
    var open = openDropdownButtons();
    if (open.length > 0) {
      event.preventDefault();
      open.forEach(closeDropdown);
      if (openMenu || dropdownButton) {
        open[0].focus();
      }
      return;
    }
    openCollapseButtons().forEach(function (button) {
      var target = collapseTarget(button);
      var focusInside = target.contains(document.activeElement);
      toggleCollapse(button);
      if (focusInside || document.activeElement === document.body) {
        button.focus();
      }
    });
  });

  // Tabbing out of an open drop-down menu closes it.
  document.addEventListener("focusout", function (event) {
    var dropdown = event.target.closest(".dropdown");
    if (!dropdown || (event.relatedTarget && dropdown.contains(event.relatedTarget))) {
      return;
    }
    var button = dropdown.querySelector('[data-bs-toggle="dropdown"][aria-expanded="true"]');
    if (button && event.relatedTarget) {
      closeDropdown(button);
    }
  });
})();
