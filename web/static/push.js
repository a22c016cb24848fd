// The Alerts page's "Turn on notifications in this browser" button: registers /push-sw.js, subscribes with the
// server's VAPID public key and posts the subscription (CSRF header); the page then lists this browser as a target.
(function () {
  "use strict";
  var button = document.getElementById("push-subscribe");
  var status = document.getElementById("push-status");
  if (!button || !status) { return; }
  function say(text) { status.textContent = text; }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("This browser cannot show notifications from the panel.");
    return;
  }
  function keyBytes(text) {
    var base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }
  button.hidden = false;
  // Busy is aria-disabled, not disabled: a disabled button drops the keyboard focus to the page's start.
  function busy(on) {
    if (on) { button.setAttribute("aria-disabled", "true"); } else { button.removeAttribute("aria-disabled"); }
  }
  button.addEventListener("click", function () {
    if (button.getAttribute("aria-disabled") === "true") { return; }
    busy(true);
    say("Asking this browser for permission…");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw new Error("notifications are blocked for this site"); }
      return navigator.serviceWorker.register("/push-sw.js", { scope: "/" });
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(button.getAttribute("data-key"))
      });
    }).then(function (subscription) {
      return fetch("/alerts/push", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": button.getAttribute("data-csrf") },
        body: JSON.stringify(subscription.toJSON ? subscription.toJSON() : subscription)
      });
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error(body.error || "the panel refused the subscription"); }
        say("Notifications are on in this browser (" + body.label + "). Reloading…");
        window.location.assign("/alerts?done=push_added#push-title");
      });
    }).catch(function (error) {
      busy(false);
      say("Could not turn notifications on: " + (error && error.message ? error.message : error));
    });
  });
}());
