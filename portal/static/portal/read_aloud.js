// 朗读公示: the notice's text read aloud by the phone's own speech synthesis.
(function () {
  var b = document.getElementById("read-aloud");
  if (!b || !("speechSynthesis" in window)) return;
  var idle = b.textContent, stop = b.dataset.stop;
  b.hidden = false;
  b.addEventListener("click", function () {
    if (speechSynthesis.speaking) { speechSynthesis.cancel(); b.textContent = idle; return; }
    var u = new SpeechSynthesisUtterance(document.getElementById("notice-text").innerText);
    u.lang = "zh-CN"; u.rate = 0.9;
    u.onend = u.onerror = function () { b.textContent = idle; };
    speechSynthesis.speak(u);
    b.textContent = stop;
  });
})();
