// The HCP's side of the engagement profile: the same browser continues its profile, optional identity,
// granular consent (granted or revoked against the approved text shown) and helpful/not ratings (the chat turn
// itself carries any suggestion). Every sentence shown comes from an approved item; inserted as text only.
(function () {
  "use strict";
  const chatApi = window.quelvantiChat;
  if (!chatApi) return;
  // Kept across visits in this browser (not the conversation secret, which stays per tab).
  const VISITOR_KEY = "quelvanti.visitor";
  const panel = document.getElementById("profile-panel");
  const identityForm = document.getElementById("identity-form");
  const identityStatus = document.getElementById("identity-status");
  const consentStatus = document.getElementById("consent-status");
  const texts = readTexts();

  function readTexts() {
    const found = {};
    document.querySelectorAll("#profile-texts [data-topic]").forEach(function (node) {
      found[node.dataset.topic] = {
        text: node.textContent.trim(),
        contentId: node.dataset.contentId,
        approvalCode: node.dataset.approvalCode,
        version: node.dataset.version,
      };
    });
    return found;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function storedVisitor() {
    try {
      return localStorage.getItem(VISITOR_KEY);
    } catch (error) {
      return null;
    }
  }

  function keepVisitor(token) {
    try {
      localStorage.setItem(VISITOR_KEY, token);
    } catch (error) {
      // Storage disabled: this browser will not be recognised next time.
    }
  }

  async function linkVisitor(current) {
    const token = storedVisitor();
    const body = token ? { token: token } : {};
    const out = await chatApi.call("PUT", chatApi.conversationUrl(current) + "/visitor", body, current.secret);
    keepVisitor(out.token);
    await refreshProfile(current);
  }

  function say(node, topic) {
    const item = texts[topic];
    node.textContent = item ? item.text : "";
  }

  async function refreshProfile(current) {
    const profile = await chatApi.call("GET", chatApi.conversationUrl(current) + "/profile", undefined, current.secret);
    if (panel) {
      panel.querySelectorAll("input[data-purpose]").forEach(function (box) {
        box.checked = Boolean(profile.consents[box.dataset.purpose]);
      });
    }
    return profile;
  }

  async function lastAnsweredSequence(current) {
    const log = await chatApi.call("GET", chatApi.conversationUrl(current), undefined, current.secret);
    const answered = log.exchanges.filter(function (x) { return x.route === "answered"; });
    return answered.length ? answered[answered.length - 1].sequence : null;
  }

  function addRating(node, current, sequence) {
    const prompt = texts.rating_prompt;
    if (!prompt || !node) return;
    const box = el("div", "rating");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", prompt.text);
    box.appendChild(el("span", "prompt", prompt.text));
    [[true, "Yes"], [false, "No"]].forEach(function (pair) {
      const button = el("button", "rate", pair[1]);
      button.type = "button";
      button.dataset.helpful = String(pair[0]);
      button.addEventListener("click", async function () {
        await chatApi.call("PUT", chatApi.conversationUrl(current) + "/exchanges/" + sequence + "/rating",
          { helpful: pair[0] }, current.secret);
        box.replaceChildren(el("span", "thanks", texts.rating_thanks ? texts.rating_thanks.text : ""));
      });
      box.appendChild(button);
    });
    node.appendChild(box);
  }

  document.addEventListener("quelvanti:started", function (event) {
    event.detail.waitFor(linkVisitor(event.detail.chat).catch(function () { /* continuity is best effort */ }));
  });

  document.addEventListener("quelvanti:answered", async function (event) {
    const current = event.detail.chat;
    if (event.detail.route !== "answered" || !current) return;
    try {
      const sequence = await lastAnsweredSequence(current);
      const answers = event.detail.nodes.filter(function (n) { return n.dataset.topic; });
      if (sequence !== null) addRating(answers[0], current, sequence);
    } catch (error) {
      // Ratings are extras: the answer itself is already shown.
    }
  });

  if (identityForm) {
    identityForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      const body = {};
      new FormData(identityForm).forEach(function (value, key) {
        if (String(value).trim()) body[key] = String(value).trim();
      });
      try {
        const current = await chatApi.ensureConversation();
        await chatApi.call("PUT", chatApi.conversationUrl(current) + "/hcp", body, current.secret);
        say(identityStatus, "consent_saved");
      } catch (error) {
        say(identityStatus, "profile_not_saved");
      }
    });
  }

  if (panel) {
    panel.querySelectorAll("input[data-purpose]").forEach(function (box) {
      box.addEventListener("change", async function () {
        try {
          const current = await chatApi.ensureConversation();
          const url = chatApi.conversationUrl(current) + "/consents/" + box.dataset.purpose;
          await chatApi.call("PUT", url,
            { granted: box.checked, content_id: box.dataset.contentId, version: box.dataset.version }, current.secret);
          say(consentStatus, "consent_saved");
        } catch (error) {
          box.checked = !box.checked;
          say(consentStatus, "profile_not_saved");
        }
      });
    });
  }

  // Inside the embedded panel, Escape asks the host page's launcher to close it (keyboard users).
  if (window.parent !== window) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") window.parent.postMessage({ type: "quelvanti:close" }, "*");
    });
    window.addEventListener("focus", function () {
      const input = document.getElementById("chat-input");
      if (input && document.activeElement === document.body) input.focus();
    });
  }
})();
