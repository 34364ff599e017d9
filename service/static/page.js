// The demo page: POST /citizen-card, then show the card, its share link and a download link.
// Plain DOM, no build step, no third-party code. Everything from the API goes in via
// textContent or setAttribute, never as HTML.
"use strict";

(function () {
  const form = document.getElementById("card-form");
  const nameInput = document.getElementById("name");
  const languageSelect = document.getElementById("language");
  const submit = document.getElementById("submit");
  const submitLabel = submit.querySelector(".button-label");
  const formError = document.getElementById("form-error");
  const result = document.getElementById("result");
  const resultTitle = document.getElementById("result-title");
  const status = document.getElementById("status");
  const image = document.getElementById("card-image");
  const actions = document.getElementById("card-actions");
  const shareLink = document.getElementById("share-link");
  const downloadLink = document.getElementById("download-link");

  const fields = {
    nameOnCard: { control: nameInput, error: document.getElementById("name-error"), hint: "name-hint" },
    language: { control: languageSelect, error: document.getElementById("language-error"), hint: "" },
  };
  const placeholders = { ko: "준성맛 쿠키", en: "Honey Butter Cookie", ja: "抹茶ラテ クッキー", "zh-TW": "珍珠奶茶餅乾" };
  // The page's words, in the language the server chose (service/static/texts.json).
  const texts = JSON.parse(document.getElementById("page-texts").textContent);
  function t(key, values) {
    return (texts[key] || "").replace(/\{(\w+)\}/g, (_, name) => String(values && name in values ? values[name] : ""));
  }
  const idleLabel = submitLabel.textContent;
  let busy = false;

  function updatePlaceholder() {
    nameInput.placeholder = placeholders[languageSelect.value] || "";
  }

  function describedBy(hint, errorId) {
    return [hint, errorId].filter(Boolean).join(" ");
  }

  function clearFieldError(key) {
    const field = fields[key];
    field.control.removeAttribute("aria-invalid");
    field.control.setAttribute("aria-describedby", describedBy(field.hint, ""));
    if (!field.control.getAttribute("aria-describedby")) field.control.removeAttribute("aria-describedby");
    field.error.textContent = "";
    field.error.hidden = true;
  }

  function clearErrors() {
    Object.keys(fields).forEach(clearFieldError);
    formError.textContent = "";
    formError.hidden = true;
  }

  function showFieldError(key, message) {
    const field = fields[key];
    field.error.textContent = message;
    field.error.hidden = false;
    field.control.setAttribute("aria-invalid", "true");
    field.control.setAttribute("aria-describedby", describedBy(field.hint, field.error.id));
    field.control.focus();
  }

  function showFormError(message) {
    formError.textContent = message;
    formError.hidden = false;
  }

  function setBusy(on) {
    busy = on;
    form.setAttribute("aria-busy", String(on));
    result.setAttribute("aria-busy", String(on));
    submit.setAttribute("aria-disabled", String(on));
    submit.classList.toggle("is-busy", on);
    submitLabel.textContent = on ? t("baking") : idleLabel;
    if (on) {
      result.dataset.state = "loading";
      status.textContent = t("baking");
    }
  }

  function retryHint(response) {
    const seconds = parseInt(response.headers.get("Retry-After") || "", 10);
    return Number.isFinite(seconds) && seconds > 0 ? t("retry_in", { seconds }) : "";
  }

  async function readError(response) {
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    const error = body && body.error ? body.error : {};
    const message = typeof error.message === "string" && error.message
      ? error.message
      : t("answered", { status: response.status });
    return { field: typeof error.field === "string" ? error.field : "", message: message + retryHint(response) };
  }

  function showCard(card) {
    return new Promise((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("image"));
      image.alt = card.altText || t("alt_fallback", { name: card.recipe && card.recipe.name ? card.recipe.name : t("a_cookie") });
      image.src = card.url;
    }).then(() => {
      image.hidden = false;
      shareLink.href = `/c/${encodeURIComponent(card.id)}`;
      downloadLink.href = card.url;
      downloadLink.setAttribute("download", `citizen-card-${card.id}.png`);
      actions.hidden = false;
      result.dataset.state = "ready";
      result.dataset.cardId = card.id;
      const name = card.recipe && card.recipe.name ? card.recipe.name : t("a_cookie");
      status.textContent = t("ready", { name });
    });
  }

  // One key per click: if the connection breaks, the proxy may re-send the request to another
  // instance, which then replays the same card instead of minting a second (deploy/README.md).
  // crypto.randomUUID needs a secure context; getRandomValues does not.
  function newIdempotencyKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function mint(event) {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    setBusy(true);
    const hadCard = result.dataset.cardId !== undefined;
    try {
      let response;
      try {
        response = await fetch("/citizen-card", {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "Idempotency-Key": newIdempotencyKey(),
          },
          body: JSON.stringify({ nameOnCard: nameInput.value, language: languageSelect.value }),
        });
      } catch (_) {
        throw { general: t("unreachable") };
      }
      if (response.status !== 201) {
        const error = await readError(response);
        if (response.status < 500 && fields[error.field]) throw { field: error.field, message: error.message };
        throw { general: error.message };
      }
      const card = await response.json();
      try {
        await showCard(card);
      } catch (_) {
        throw { general: t("image_failed") };
      }
      resultTitle.focus({ preventScroll: true });
      result.scrollIntoView({ behavior: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth", block: "nearest" });
    } catch (problem) {
      result.dataset.state = hadCard ? "ready" : "empty";
      status.textContent = "";
      if (problem && problem.field) showFieldError(problem.field, problem.message);
      else showFormError((problem && problem.general) || t("generic"));
    } finally {
      setBusy(false);
    }
  }

  updatePlaceholder();  // the card's language starts as the page's (selected by the server)
  languageSelect.addEventListener("change", () => {
    updatePlaceholder();
    clearFieldError("language");
  });
  nameInput.addEventListener("input", () => {
    if (nameInput.getAttribute("aria-invalid")) clearFieldError("nameOnCard");
  });
  form.addEventListener("submit", mint);
})();
