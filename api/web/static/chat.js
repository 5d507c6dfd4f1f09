// Chat widget: every text shown comes from the API's approved replies and is inserted as
// text, never as HTML.
(function () {
  "use strict";
  const transcript = document.getElementById("transcript");
  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-input");
  const send = document.getElementById("chat-send");
  const status = document.getElementById("chat-status");
  let conversationId = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function addUserMessage(text) {
    const item = el("li", "msg user");
    item.appendChild(el("p", "text", text));
    transcript.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  function addReply(reply, route) {
    const item = el("li", "msg bot");
    item.dataset.route = route;
    item.dataset.topic = reply.topic;
    item.appendChild(el("p", "text", reply.text));
    const meta = el("p", "approval", "Approval code " + reply.approval_code + " · " + reply.version + " · ");
    const isi = el("a", null, "Important Safety Information");
    isi.href = "/isi";
    meta.appendChild(isi);
    item.appendChild(meta);
    transcript.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  async function postJson(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  }

  async function ensureConversation() {
    if (!conversationId) conversationId = (await postJson("/api/v1/conversations", {})).id;
    return conversationId;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      status.textContent = "Please type a question.";
      input.focus();
      return;
    }
    addUserMessage(text);
    input.value = "";
    send.disabled = true;
    status.textContent = "Sending…";
    try {
      const id = await ensureConversation();
      const answer = await postJson("/api/v1/conversations/" + encodeURIComponent(id) + "/messages", { text: text });
      answer.replies.forEach(function (reply) { addReply(reply, answer.route); });
      transcript.dataset.lastRoute = answer.route;
      status.textContent = "";
    } catch (error) {
      status.textContent = "Your message could not be sent. Please try again.";
    } finally {
      send.disabled = false;
      input.focus();
    }
  });
})();
