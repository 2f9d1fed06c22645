// "Bruk min posisjon": progressive enhancement for the group and contact point finders.
// Without JavaScript the button never shows and the search works with a typed place.
(function () {
  "use strict";
  var box = document.querySelector("[data-geolocate]");
  if (!box || !("geolocation" in navigator)) return;
  var form = box.closest("form");
  var button = box.querySelector("button");
  var status = box.querySelector("[role=status]");
  if (!form || !button) return;

  function hidden(name) {
    var input = form.querySelector("input[name=" + name + "]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    return input;
  }

  var place = form.querySelector("input[name=sted]");
  if (place) {
    // A typed place replaces an earlier position.
    place.addEventListener("input", function () {
      hidden("lat").value = "";
      hidden("lon").value = "";
    });
  }

  button.addEventListener("click", function () {
    status.textContent = box.dataset.busyText || "";
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        hidden("lat").value = position.coords.latitude.toFixed(5);
        hidden("lon").value = position.coords.longitude.toFixed(5);
        if (place) place.value = "";
        form.submit();
      },
      function () {
        button.disabled = false;
        status.textContent = box.dataset.errorText || "";
        if (place) place.focus();
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
  box.hidden = false;
})();
