/*
 * Patchbay in the browser: how failed htmx requests and toasts reach the user, and the
 * navigation that folds away on narrow screens.
 *
 * All of Patchbay's JavaScript lives in static/js (the Content-Security-Policy allows no
 * inline scripts). The error convention is described in README.md, "htmx conventions":
 *   - 422 responses are form re-renders: swapped like a 200.
 *   - Other 4xx/5xx responses are swapped only when the server names a target with
 *     HX-Retarget (an error panel it rendered); otherwise nothing on the page changes, so what
 *     the user typed stays, and #error-region says what went wrong.
 */
(function () {
  "use strict";

  const AUTO_DISMISS_MS = 6000;
  const MAX_SERVER_MESSAGE = 500;

  const STATUS_MESSAGES = {
    400: "The request was not valid. Check what you entered and try again.",
    401: "Your session has ended. Reload the page to log in again.",
    403: "You are not allowed to do that. If your session has ended, reload the page to log in again.",
    404: "That was not found; it may have been deleted. Reload the page to see the latest.",
    409: "That conflicts with the current state, perhaps a change made elsewhere. Reload and try again.",
    412: "That changed since the page was loaded, or is still in use. Reload and try again.",
    413: "That is too large to send.",
    429: "Too many requests. Wait a moment and try again.",
    502: "The Connect API is not answering properly. Try again in a moment.",
    503: "The Connect API is unavailable. Try again in a moment.",
    504: "The Connect API took too long to answer. Try again in a moment.",
  };
  const SERVER_ERROR = "Something went wrong on the server. Try again in a moment.";
  const NETWORK_ERROR = "Patchbay could not be reached. Check your connection and try again.";
  const TIMEOUT_ERROR = "The server took too long to answer. Try again in a moment.";
  const DISPLAY_ERROR = "Patchbay could not show the answer to that request. Reload the page and try again.";

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text; // never innerHTML: messages may echo user input
    return node;
  }

  function closeButton(className, label) {
    const button = element("button", className, "\u00d7");
    button.type = "button";
    button.setAttribute("aria-label", label);
    button.dataset.dismiss = "";
    return button;
  }

  /** Show `message` (and the request id, if any) in the fixed #error-region. */
  function showError(message, reference) {
    const region = document.getElementById("error-region");
    if (!region) return;
    const text = element("div", "error-region__text");
    text.append(element("p", "error-region__message", message));
    if (reference) {
      // Asked for only when there is one to quote (a proxy's error may carry none).
      const line = element("p", "error-region__reference", "If it keeps failing, quote this reference: ");
      line.append(element("code", null, reference));
      text.append(line);
    }
    const box = element("div", "error-region__box");
    box.append(text, closeButton("error-region__close", "Dismiss error"));
    region.replaceChildren(box);
  }

  function clearError() {
    const region = document.getElementById("error-region");
    if (region) region.replaceChildren();
  }

  /** Success and info toasts go away by themselves, but not while pointed at or focused. */
  function autoDismiss(toast) {
    window.setTimeout(function check() {
      if (toast.matches(":hover, :focus-within")) {
        window.setTimeout(check, AUTO_DISMISS_MS);
      } else {
        toast.remove();
      }
    }, AUTO_DISMISS_MS);
  }

  function showToast(message, level) {
    const container = document.getElementById("toasts");
    if (!container || !message) return;
    const toast = element("div", "toast toast--" + (level || "info"));
    toast.append(element("p", "toast__message", message), closeButton("toast__close", "Dismiss message"));
    // The same message again (saving twice) replaces the one shown instead of piling up.
    for (const shown of container.querySelectorAll(".toast")) {
      if (shown.className === toast.className && shown.textContent === toast.textContent) shown.remove();
    }
    container.append(toast);
    if (level === "success" || level === "info") autoDismiss(toast);
  }

  /** The most useful sentence for a failed response: the server's own, else one per status. */
  function describeFailure(xhr) {
    const type = xhr.getResponseHeader("Content-Type") || "";
    let text = "";
    if (type.startsWith("text/plain")) {
      text = xhr.responseText.trim();
    } else if (type.startsWith("application/json")) {
      try {
        text = String(JSON.parse(xhr.responseText).message || "");
      } catch (error) {
        text = "";
      }
    }
    if (text) return text.slice(0, MAX_SERVER_MESSAGE);
    if (STATUS_MESSAGES[xhr.status]) return STATUS_MESSAGES[xhr.status];
    if (xhr.status >= 500) return SERVER_ERROR;
    return "The request was refused (status " + xhr.status + ").";
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    const detail = event.detail;
    const status = detail.xhr.status;
    if (status === 422 || (status >= 400 && detail.xhr.getResponseHeader("HX-Retarget"))) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    const xhr = event.detail.xhr;
    showError(describeFailure(xhr), xhr.getResponseHeader("X-Request-ID"));
  });
  document.addEventListener("htmx:sendError", function () {
    showError(NETWORK_ERROR);
  });
  document.addEventListener("htmx:timeout", function () {
    showError(TIMEOUT_ERROR);
  });
  document.addEventListener("htmx:targetError", function () {
    showError(DISPLAY_ERROR);
  });
  document.addEventListener("htmx:swapError", function () {
    showError(DISPLAY_ERROR);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) clearError();
  });

  // Sent by the server as `HX-Trigger: {"toast": {"messages": [...]}}` (dashboard/web/toasts.py).
  document.addEventListener("toast", function (event) {
    (event.detail.messages || []).forEach(function (toast) {
      showToast(toast.message, toast.level);
    });
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-dismiss]");
    if (!button) return;
    const toast = button.closest(".toast");
    if (toast) {
      toast.remove();
    } else {
      clearError();
    }
  });

  /** On narrow screens the navigation folds behind "Menu" (without JavaScript it stays open). */
  function foldMenu() {
    const toggle = document.querySelector(".menu-toggle");
    if (!toggle) return;
    const header = toggle.closest(".site-header");
    header.classList.add("site-header--foldable");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      header.classList.toggle("site-header--open", open);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".toast[data-autodismiss]").forEach(autoDismiss);
    foldMenu();
  });
})();
