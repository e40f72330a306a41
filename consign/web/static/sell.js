// The sell form without JavaScript takes an empty price as the shelf price; with it, the
// shelf price of a typed or scanned SKU is shown in the price field, to be changed.
document.addEventListener("DOMContentLoaded", function () {
  var sku = document.getElementById("sku");
  var price = document.getElementById("price");
  var list = document.getElementById("shelf-skus");
  if (!sku || !price || !list) { return; }
  function shelfPrice() {
    var typed = sku.value.trim().toUpperCase();
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === typed) { return list.options[i].getAttribute("data-price"); }
    }
    return null;
  }
  sku.addEventListener("change", function () {
    var found = shelfPrice();
    if (found !== null && price.value.trim() === "") { price.value = found; }
  });
});
