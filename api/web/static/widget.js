// The embeddable widget: one <script src="https://<service>/static/widget.js" defer></script> on an allowed
// brand site adds a launcher button that opens the chat panel (served by the service, in a frame). The
// service answers the loader only for origins on its allow-list, and only those may frame the panel.
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script || document.getElementById("quelvanti-launcher")) return;
  const service = new URL(script.src).origin;

  function styled(node, rules) {
    Object.keys(rules).forEach(function (name) { node.style.setProperty(name, rules[name]); });
    return node;
  }

  function mount(config) {
    if (!config.label) return;
    const launcher = styled(document.createElement("button"), {
      position: "fixed", right: "16px", bottom: "16px", "z-index": "2147483000", padding: "12px 18px",
      "border-radius": "24px", border: "0", background: "#1f4e79", color: "#fff", font: "600 16px system-ui, sans-serif",
      cursor: "pointer", "max-width": "calc(100vw - 32px)",
    });
    launcher.type = "button";
    launcher.id = "quelvanti-launcher";
    launcher.textContent = config.label;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "quelvanti-panel");

    const panel = styled(document.createElement("div"), {
      position: "fixed", right: "0", bottom: "0", width: "min(420px, 100vw)", height: "min(640px, 100vh)",
      "z-index": "2147483001", display: "none", background: "#fff", "box-shadow": "0 0 24px rgba(0,0,0,.25)",
    });
    panel.id = "quelvanti-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", config.label);
    const close = styled(document.createElement("button"), {
      position: "absolute", top: "4px", right: "4px", padding: "4px 10px", font: "16px system-ui, sans-serif",
    });
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close");
    const frame = styled(document.createElement("iframe"), { width: "100%", height: "100%", border: "0" });
    frame.title = config.label;
    frame.src = config.panel;
    panel.appendChild(close);
    panel.appendChild(frame);

    function open() {
      panel.style.display = "block";
      launcher.setAttribute("aria-expanded", "true");
      launcher.style.display = "none";
      frame.focus();
    }
    function shut() {
      panel.style.display = "none";
      launcher.style.display = "";
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }
    launcher.addEventListener("click", open);
    close.addEventListener("click", shut);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.style.display === "block") shut();
    });
    window.addEventListener("message", function (event) {
      if (event.origin === service && event.data && event.data.type === "quelvanti:close") shut();
    });
    document.body.appendChild(launcher);
    document.body.appendChild(panel);
  }

  fetch(service + "/widget/launcher", { mode: "cors", credentials: "omit" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (config) { if (config) mount(config); })
    .catch(function () { /* not an allowed origin, or the service is down: no launcher */ });
})();
