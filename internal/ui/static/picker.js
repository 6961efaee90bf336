// parc: reference pickers. A picker is a text input (data-suggest) beside a hidden
// id input; this file makes it a WAI-ARIA combobox with a list of suggestions
// fetched as the user types. Without it the text is resolved by the server.
(function () {
  "use strict";

  var seq = 0;

  function setup(input) {
    var box = input.closest(".picker");
    var idInput = box.querySelector("[data-picker-id]");
    var wasInput = box.querySelector("[data-picker-was]");
    var list = box.querySelector("[role=listbox]");
    // A copy of a set-up picker (a filter row added) starts afresh.
    Array.prototype.forEach.call(box.querySelectorAll("p[role=status]"), function (p) { p.remove(); });
    list.textContent = "";
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "sr-only";
    status.setAttribute("role", "status");
    box.appendChild(status);
    var items = [];
    var active = -1;
    var timer = null;
    var last = null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function source() {
      var field = input.getAttribute("data-suggest-from");
      if (field) {
        // A list filter's value: suggestions of the field chosen in its row,
        // when that field names records.
        var fs = document.getElementById(field);
        var opt = fs && fs.options[fs.selectedIndex];
        return (opt && opt.getAttribute("data-suggest")) || "";
      }
      var from = input.getAttribute("data-type-from");
      if (from) {
        var sel = document.getElementById(from);
        return "/ui/suggest/" + encodeURIComponent(sel ? sel.value : "");
      }
      return input.getAttribute("data-suggest");
    }

    function org() {
      var form = input.form;
      var o = form && form.querySelector("[name=organization_id]");
      return o ? o.value : "";
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      if (active >= 0 && items[active]) {
        items[active].el.setAttribute("aria-selected", "false");
      }
      active = i;
      if (i < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var it = items[i];
      it.el.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", it.el.id);
      it.el.scrollIntoView({ block: "nearest" });
    }

    function pick(i) {
      var s = items[i].s;
      idInput.value = String(s.id);
      wasInput.value = s.label;
      input.value = s.label;
      last = s.label;
      close();
      input.dispatchEvent(new CustomEvent("picker:pick", { bubbles: true, detail: s }));
    }

    function show(res) {
      list.textContent = "";
      items = [];
      res.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.textContent = s.label;
        li.appendChild(label);
        if (s.detail) {
          var d = document.createElement("small");
          d.textContent = s.detail;
          li.appendChild(d);
        }
        li.addEventListener("mousedown", function (e) {
          e.preventDefault(); // keep the focus in the input
          pick(i);
        });
        list.appendChild(li);
        items.push({ el: li, s: s });
      });
      active = -1;
      var msg = res.length === 0 ? box.getAttribute("data-msg-none") : box.getAttribute("data-msg-count").replace("%d", res.length);
      status.textContent = msg;
      if (res.length === 0) {
        close();
        return;
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchNow() {
      var mine = ++seq;
      var src = source();
      if (!src) {
        close(); // the filter's field names no record: a plain box
        return;
      }
      var url = src + (src.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(input.value) + "&org=" + encodeURIComponent(org());
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (res) {
          if (mine === seq && document.activeElement === input) {
            show(res || []);
          }
        })
        .catch(function () {});
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(fetchNow, 150);
    }

    input.addEventListener("input", function () {
      if (input.value !== last) {
        idInput.value = ""; // typed text no longer names the chosen record
        last = input.value;
      }
      later();
    });
    input.addEventListener("keydown", function (e) {
      var open = !list.hidden;
      switch (e.key) {
        case "ArrowDown":
          e.preventDefault();
          if (!open) {
            fetchNow();
          } else {
            highlight(Math.min(active + 1, items.length - 1));
          }
          break;
        case "ArrowUp":
          if (open) {
            e.preventDefault();
            highlight(Math.max(active - 1, 0));
          }
          break;
        case "Enter":
          if (open && active >= 0) {
            e.preventDefault(); // choose, do not submit
            pick(active);
          }
          break;
        case "Escape":
          if (open) {
            e.preventDefault();
            close();
          }
          break;
        case "Tab":
          close();
          break;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    var fromAttr = input.getAttribute("data-type-from") || input.getAttribute("data-suggest-from");
    if (fromAttr) {
      var sel = document.getElementById(fromAttr);
      if (sel) {
        sel.addEventListener("change", function () {
          idInput.value = "";
          wasInput.value = "";
          if (input.getAttribute("data-type-from")) {
            input.value = "";
            last = "";
          }
        });
      }
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".picker input[data-suggest]"), setup);
    // A filter row added by "add a condition" (app.js) brings its own picker.
    document.addEventListener("filter:added", function (e) {
      Array.prototype.forEach.call(e.target.querySelectorAll(".picker input[data-suggest]"), setup);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
