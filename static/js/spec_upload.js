/*
 * Spec upload (templates/imports/): drag and drop onto the file field, and upload progress.
 *
 * The form works without this file (choose a file, press Preview). With it:
 *   - a document dropped anywhere on the [data-drop-zone] becomes the file input's file;
 *   - while htmx sends the form, the <progress> in it follows the upload (htmx's
 *     htmx:xhr:progress events), then says the document is being checked.
 * Event listeners sit on the document, so they keep working after htmx swaps the section.
 */
(function () {
  "use strict";

  function zoneOf(event) {
    return event.target instanceof Element ? event.target.closest("[data-drop-zone]") : null;
  }

  function showChosen(zone, file) {
    const line = zone.querySelector("[data-chosen-file]");
    if (!line || !file) return;
    const size = file.size >= 1048576 ? (file.size / 1048576).toFixed(1) + " MB" : Math.ceil(file.size / 1024) + " KB";
    line.textContent = "Chosen: " + file.name + " (" + size + "). Press Preview to check it.";
  }

  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      const zone = zoneOf(event);
      if (!zone) return;
      event.preventDefault(); // allow dropping here
      zone.classList.add("drop-zone--over");
    });
  });

  document.addEventListener("dragleave", function (event) {
    const zone = zoneOf(event);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("drop-zone--over");
  });

  // A file dropped beside the zone would make the browser leave the page to open it.
  document.addEventListener("dragover", function (event) {
    if (!zoneOf(event) && document.querySelector("[data-drop-zone]")) event.preventDefault();
  });

  document.addEventListener("drop", function (event) {
    const zone = zoneOf(event);
    if (!zone) {
      if (document.querySelector("[data-drop-zone]")) event.preventDefault();
      return;
    }
    event.preventDefault(); // never let the browser open the dropped file instead
    zone.classList.remove("drop-zone--over");
    const input = zone.querySelector("input[type=file]");
    const files = event.dataTransfer && event.dataTransfer.files;
    if (!input || !files || files.length === 0) return;
    const chosen = new DataTransfer();
    chosen.items.add(files[0]); // one document at a time
    input.files = chosen.files;
    showChosen(zone, files[0]);
  });

  document.addEventListener("change", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    const zone = input.closest("[data-drop-zone]");
    if (zone && input.files && input.files[0]) showChosen(zone, input.files[0]);
  });

  function statusOf(event) {
    const form = event.target instanceof Element ? event.target.closest("[data-upload-form]") : null;
    if (!form) return null;
    return {
      bar: form.querySelector("[data-upload-progress]"),
      text: form.querySelector("[data-upload-progress-text]"),
    };
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    const status = statusOf(event);
    if (!status || !status.bar) return;
    status.bar.removeAttribute("value"); // indeterminate until the first progress event
    delete status.bar.dataset.sent;
    status.text.textContent = "Sending\u2026";
  });

  // htmx reports the upload's progress and then the answer's download under the same event
  // name; once the upload is complete, the rest is the server's work.
  document.addEventListener("htmx:xhr:progress", function (event) {
    const status = statusOf(event);
    const detail = event.detail;
    if (!status || !status.bar || !detail.lengthComputable || !detail.total) return;
    if (status.bar.dataset.sent === "true") return;
    const percent = Math.round((detail.loaded / detail.total) * 100);
    status.bar.setAttribute("value", String(percent));
    if (percent < 100) {
      status.text.textContent = "Uploading " + percent + "%";
    } else {
      status.bar.dataset.sent = "true";
      status.text.textContent = "Checking the document\u2026";
    }
  });
})();
