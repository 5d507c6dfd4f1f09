// Chat widget. Every text shown comes from the API (approved replies, signed reviewer answers) or
// from the approved labels the page carries, and is inserted as text, never as HTML.
(function () {
  "use strict";
  const API = "/api/v1/conversations";
  const SECRET_HEADER = "X-Conversation-Secret";
  // Same tab only: a reload continues the conversation, a new tab or window starts a fresh one.
  const STORAGE_KEY = "quelvanti.chat";
  const POLL_MS = 2000;
  const MAX_POLL_MS = 30000;
  // The widget no longer holds this conversation: stop using it.
  const GONE = [401, 403, 404];
  // Over a limit, or the previous message is still being answered: nothing was recorded; wait, then resend.
  const TOO_MANY = 429;
  const DEFAULT_WAIT_SECONDS = 5;
  const MAX_WAIT_SECONDS = 3600;
  // The approved lead-in that precedes a suggested item's title in a turn's replies.
  const SUGGESTION_INTRO = "suggestion_intro";

  const transcript = document.getElementById("transcript");
  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-input");
  const send = document.getElementById("chat-send");
  const status = document.getElementById("chat-status");
  const labels = readLabels();
  const shownAnswers = new Set();
  let chat = restore();
  let pollingFor = null;
  let pollTimer = null;
  let pollDelay = POLL_MS;
  let pausedUntil = 0;
  let pauseTimer = null;
  const sendLabel = send.textContent;

  class HttpError extends Error {
    constructor(status, body, retryAfter) {
      super("HTTP " + status);
      this.status = status;
      this.body = body || null;
      this.retryAfter = retryAfter;
    }
  }

  // Seconds to wait from a 429: its Retry-After header, else its body, else a default; bounded.
  function waitSeconds(response, body) {
    let seconds = parseInt(response.headers.get("Retry-After") || "", 10);
    if (!(seconds > 0) && body && body.retry_after > 0) seconds = body.retry_after;
    if (!(seconds > 0)) seconds = DEFAULT_WAIT_SECONDS;
    return Math.min(seconds, MAX_WAIT_SECONDS);
  }

  function isGone(error) {
    return error instanceof HttpError && GONE.includes(error.status);
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The approved label items rendered into the page, by answer kind ("reviewer", "unsolicited").
  function readLabels() {
    const found = {};
    document.querySelectorAll("#answer-labels [data-kind]").forEach(function (node) {
      found[node.dataset.kind] = {
        text: node.textContent.trim(),
        contentId: node.dataset.contentId,
        approvalCode: node.dataset.approvalCode,
        version: node.dataset.version,
      };
    });
    return found;
  }

  function restore() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
      if (saved && typeof saved.id === "string" && typeof saved.secret === "string") {
        return { id: saved.id, secret: saved.secret };
      }
    } catch (error) {
      // Storage disabled or unreadable: the chat lives in memory only.
    }
    return null;
  }

  function remember(value) {
    chat = value;
    try {
      if (value) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch (error) {
      // As above: memory only.
    }
  }

  function forget() {
    stopPolling();
    remember(null);
  }

  function conversationUrl(current) {
    return API + "/" + encodeURIComponent(current.id);
  }

  async function call(method, url, body, secret) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (secret) headers[SECRET_HEADER] = secret;
    const response = await fetch(url, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "same-origin",
    });
    if (!response.ok) {
      let body = null;
      if (response.status === TOO_MANY) {
        try {
          body = await response.json();
        } catch (error) {
          // Not our JSON (a proxy's 429, say): wait all the same.
        }
        throw new HttpError(response.status, body, waitSeconds(response, body));
      }
      throw new HttpError(response.status);
    }
    return response.json();
  }

  function show(item) {
    transcript.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  function approvalLine(approvalCode, version) {
    const meta = el("p", "approval", "Approval code " + approvalCode + " · " + version + " · ");
    const isi = el("a", null, "Important Safety Information");
    isi.href = "/isi";
    meta.appendChild(isi);
    return meta;
  }

  function addUserMessage(text) {
    const item = el("li", "msg user");
    item.appendChild(el("p", "text", text));
    show(item);
    return item;
  }

  function addReply(reply, route) {
    const item = el("li", "msg bot");
    item.dataset.route = route || "";
    item.dataset.topic = reply.topic;
    item.dataset.contentId = reply.content_id;
    item.appendChild(el("p", "text", reply.text));
    item.appendChild(approvalLine(reply.approval_code, reply.version));
    show(item);
    return item;
  }

  // A suggestion after an answer: the approved lead-in, then the suggested item by its approved title (with
  // that item's approval code). Shown as one bubble, set apart from the answer.
  function addSuggestion(intro, reply) {
    const item = el("li", "msg suggestion");
    item.dataset.contentId = reply.content_id;
    item.dataset.introId = intro.content_id;
    item.appendChild(el("p", "label", intro.text));
    item.appendChild(el("p", "text", reply.text));
    item.appendChild(approvalLine(reply.approval_code, reply.version));
    show(item);
    return item;
  }

  function addReplies(replies, route) {
    const nodes = [];
    for (let i = 0; i < replies.length; i += 1) {
      if (replies[i].topic === SUGGESTION_INTRO && replies[i + 1]) {
        nodes.push(addSuggestion(replies[i], replies[i + 1]));
        i += 1;
      } else {
        nodes.push(addReply(replies[i], route));
      }
    }
    return nodes;
  }

  function labelFor(answer) {
    return labels[answer.unsolicited_request ? "unsolicited" : "reviewer"];
  }

  function signedTime(iso) {
    const when = el("time", null);
    when.dateTime = iso;
    const date = new Date(iso);
    when.textContent = isNaN(date.getTime())
      ? iso
      : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    return when;
  }

  // A reviewer's signed answer, shown once, always with its approved label; never without one.
  function addReviewerAnswer(answer) {
    const label = labelFor(answer);
    if (!label || shownAnswers.has(answer.id)) return;
    shownAnswers.add(answer.id);
    const item = el("li", "msg reviewer");
    item.dataset.answerId = answer.id;
    item.dataset.kind = answer.kind;
    item.dataset.contentId = label.contentId;
    item.appendChild(el("p", "label", label.text));
    // A compliance hold's question is withheld: there is no context to repeat.
    if (answer.question_text && answer.kind !== "compliance_hold") {
      item.appendChild(el("p", "question", "Your question: " + answer.question_text));
    }
    item.appendChild(el("p", "text", answer.text));
    const signature = el("p", "signature");
    signature.appendChild(el("span", "reviewer", answer.reviewer));
    signature.appendChild(document.createTextNode(" · "));
    signature.appendChild(el("span", "reference", "Reference " + answer.signature_reference));
    signature.appendChild(document.createTextNode(" · "));
    signature.appendChild(el("span", "meaning", answer.signature_meaning));
    signature.appendChild(document.createTextNode(" · "));
    signature.appendChild(signedTime(answer.signed_at));
    item.appendChild(signature);
    item.appendChild(approvalLine(label.approvalCode, label.version));
    show(item);
  }

  function isPaused() {
    return Date.now() < pausedUntil;
  }

  // Sending stays off until the server's Retry-After has passed; the button counts down.
  function pauseSending(seconds) {
    pausedUntil = Date.now() + seconds * 1000;
    send.disabled = true;
    clearTimeout(pauseTimer);
    (function tick() {
      const left = Math.ceil((pausedUntil - Date.now()) / 1000);
      if (left <= 0) {
        send.textContent = sendLabel;
        send.disabled = false;
        return;
      }
      send.textContent = sendLabel + " (" + left + ")";
      pauseTimer = setTimeout(tick, Math.min(1000, pausedUntil - Date.now()));
    })();
  }

  // A refused message: show the approved 'please wait' item, give the text back to resend, pause sending.
  function refused(error, text, bubble) {
    bubble.classList.add("not-sent");
    const replies = (error.body && Array.isArray(error.body.replies)) ? error.body.replies : [];
    replies.forEach(function (reply) { addReply(reply, "please_wait"); });
    if (!input.value) input.value = text;
    status.textContent = "";
    pauseSending(error.retryAfter);
  }

  function stopPolling() {
    pollingFor = null;
    clearTimeout(pollTimer);
  }

  // Polls only when both labels are served: an answer is never shown without its approved label.
  function startPolling(current) {
    if (pollingFor === current || !labels.reviewer || !labels.unsolicited) return;
    stopPolling();
    pollingFor = current;
    pollDelay = POLL_MS;
    pollTimer = setTimeout(poll, pollDelay);
  }

  async function poll() {
    const current = pollingFor;
    if (!current) return;
    try {
      const body = await call("GET", conversationUrl(current) + "/reviewer-answers", undefined, current.secret);
      if (pollingFor !== current) return;
      body.answers.forEach(addReviewerAnswer);
      pollDelay = POLL_MS;
    } catch (error) {
      if (pollingFor !== current) return;
      if (isGone(error)) {
        forget();
        return;
      }
      pollDelay = Math.min(pollDelay * 2, MAX_POLL_MS);
    }
    pollTimer = setTimeout(poll, pollDelay);
  }

  async function ensureConversation() {
    if (!chat) {
      const created = await call("POST", API, {});
      remember({ id: created.id, secret: created.secret });
      startPolling(chat);
      // profile.js links the new conversation to this browser's profile (same browser, same profile).
      await announce("quelvanti:started", { chat: chat });
    }
    return chat;
  }

  async function sendMessage(text) {
    for (let attempt = 0; ; attempt += 1) {
      const current = await ensureConversation();
      try {
        return await call("POST", conversationUrl(current) + "/messages", { text: text }, current.secret);
      } catch (error) {
        // The stored conversation is no longer ours (expired, or a reset service): start a new one once.
        if (!isGone(error) || attempt > 0) throw error;
        if (chat === current) forget();
      }
    }
  }

  // After a reload in the same tab: show the conversation so far, then keep polling.
  async function resume() {
    const current = chat;
    if (!current) return;
    try {
      const log = await call("GET", conversationUrl(current), undefined, current.secret);
      if (chat !== current) return;
      log.exchanges.forEach(function (exchange) {
        addUserMessage(exchange.text);
        addReplies(exchange.replies, exchange.route);
        if (exchange.route) transcript.dataset.lastRoute = exchange.route;
      });
      (log.reviewer_answers || []).forEach(addReviewerAnswer);
      startPolling(current);
    } catch (error) {
      if (chat !== current) return;
      if (isGone(error)) forget();
      else startPolling(current);
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (isPaused()) return;
    const text = input.value.trim();
    if (!text) {
      status.textContent = "Please type a question.";
      input.focus();
      return;
    }
    const bubble = addUserMessage(text);
    input.value = "";
    send.disabled = true;
    status.textContent = "Sending…";
    try {
      const answer = await sendMessage(text);
      const nodes = addReplies(answer.replies, answer.route);
      transcript.dataset.lastRoute = answer.route;
      announce("quelvanti:answered", { chat: chat, route: answer.route, nodes: nodes });
      status.textContent = "";
    } catch (error) {
      if (error instanceof HttpError && error.status === TOO_MANY) refused(error, text, bubble);
      else status.textContent = "Your message could not be sent. Please try again.";
    } finally {
      if (!isPaused()) send.disabled = false;
      input.focus();
    }
  });

  // Other widget scripts (profile.js) listen for these; a listener may hand back a promise to wait for.
  async function announce(name, detail) {
    const waits = [];
    detail.waitFor = function (promise) { waits.push(promise); };
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
    await Promise.allSettled(waits);
  }

  // The profile panel needs a conversation to attach details and choices to, even before a first question.
  window.quelvantiChat = {
    ensureConversation: ensureConversation,
    call: call,
    conversationUrl: conversationUrl,
    approvalLine: approvalLine,
  };

  resume();
})();
