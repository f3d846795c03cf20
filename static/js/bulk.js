/*
 * Selecting rows for a bulk action. A form marked `data-bulk` owns checkboxes anywhere on the
 * page (`form="<its id>"` and `data-select`); a `data-select-page="<its id>"` checkbox ticks
 * them all. Shift-click ticks or clears the range since the last click. When every row of the
 * page is ticked, "Select all N matching this filter" sets the form's scope to "all": the
 * server then acts on every item matching the list's filters, on every page (the button's
 * `data-selected-text`, if any, then replaces the count's words).
 *
 * The bar shows only while something is ticked. It comes after its table and sticks to the
 * bottom of the window, so appearing moves nothing above it; without JavaScript it always
 * shows. When it hides under the keyboard's focus ("Clear selection"), focus goes back to
 * the table's "select every" box. Its fields marked `data-bulk-for="<action> …"` show only
 * while the form's action is one of those (without JavaScript, all show).
 */
(function () {
  "use strict";

  let lastClicked = null;

  // Not `form.id`: a form owning controls named "id" returns those instead.
  function boxes(form) {
    return Array.from(document.querySelectorAll('input[data-select][form="' + form.getAttribute("id") + '"]'));
  }

  function refresh(form) {
    const hadFocus = form.contains(document.activeElement);
    const all = boxes(form);
    const ticked = all.filter(function (box) { return box.checked; }).length;
    const scope = form.querySelector("[data-bulk-scope]");
    const matching = form.querySelector("[data-select-all-matching]");
    const clear = form.querySelector("[data-select-clear]");
    const count = form.querySelector("[data-select-count]");
    const everything = scope && scope.value === "all";
    if (everything && ticked < all.length) scope.value = "selected";
    const allMatching = scope && scope.value === "all";
    if (count) {
      count.textContent = allMatching
        ? matching.dataset.selectedText || "All " + matching.dataset.total + " matching this filter are selected"
        : ticked ? ticked + " selected" : "None selected";
    }
    if (matching) matching.hidden = allMatching || ticked === 0 || ticked < all.length;
    if (clear) clear.hidden = ticked === 0;
    form.hidden = ticked === 0 && !allMatching;
    const page = document.querySelector('[data-select-page="' + form.getAttribute("id") + '"]');
    if (page) {
      page.checked = all.length > 0 && ticked === all.length;
      page.indeterminate = ticked > 0 && ticked < all.length;
    }
    if (form.hidden && hadFocus) (page || all[0] || document.body).focus();
  }

  function showFieldsFor(form) {
    const action = form.querySelector('select[name="action"]');
    if (!action) return;
    form.querySelectorAll("[data-bulk-for]").forEach(function (field) {
      field.hidden = !field.dataset.bulkFor.split(" ").includes(action.value);
    });
  }

  function settle(root) {
    const forms = Array.from(root.querySelectorAll("form[data-bulk]"));
    if (root.matches && root.matches("form[data-bulk]")) forms.push(root);
    forms.forEach(function (form) {
      refresh(form);
      showFieldsFor(form);
    });
  }

  // On load (boxes the browser kept ticked count too) and on every list htmx swaps in.
  settle(document);
  document.addEventListener("htmx:load", function (event) { settle(event.target); });

  function ownerOf(input) {
    const id = input.getAttribute("form") || input.dataset.selectPage;
    const form = id && document.getElementById(id);
    return form && form.hasAttribute("data-bulk") ? form : null;
  }

  document.addEventListener("click", function (event) {
    const target = event.target;
    if (target.matches("input[data-select]")) {
      const form = ownerOf(target);
      if (!form) return;
      const all = boxes(form);
      if (event.shiftKey && lastClicked && all.includes(lastClicked)) {
        const [from, to] = [all.indexOf(lastClicked), all.indexOf(target)].sort(function (a, b) { return a - b; });
        all.slice(from, to + 1).forEach(function (box) { box.checked = target.checked; });
      }
      lastClicked = target;
      refresh(form);
    } else if (target.matches("input[data-select-page]")) {
      const form = ownerOf(target);
      if (!form) return;
      boxes(form).forEach(function (box) { box.checked = target.checked; });
      refresh(form);
    } else if (target.matches("[data-select-all-matching]")) {
      const form = target.closest("form[data-bulk]");
      form.querySelector("[data-bulk-scope]").value = "all";
      refresh(form);
    } else if (target.matches("[data-select-clear]")) {
      const form = target.closest("form[data-bulk]");
      boxes(form).forEach(function (box) { box.checked = false; });
      form.querySelector("[data-bulk-scope]").value = "selected";
      refresh(form);
    }
  });

  // `x` (static/js/keys.js) and the keyboard tick boxes through change events too.
  document.addEventListener("change", function (event) {
    if (event.target.matches("input[data-select]")) {
      const form = ownerOf(event.target);
      if (form) refresh(form);
    } else if (event.target.matches('form[data-bulk] select[name="action"]')) {
      showFieldsFor(event.target.form);
    }
  });
})();
