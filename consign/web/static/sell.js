// The sell form without JavaScript takes an empty price as the shelf price; with it, the
// shelf price of a typed or scanned SKU is shown in the price field, to be changed. A price
// shown this way follows the SKU when the clerk corrects the SKU (a price the clerk typed
// stays as typed), so that a corrected SKU is never sold at the first one's price.
document.addEventListener("DOMContentLoaded", function () {
  var sku = document.getElementById("sku");
  var price = document.getElementById("price");
  var list = document.getElementById("shelf-skus");
  if (!sku || !price || !list) { return; }
  var shown = null;  // the price this script put in the field, while it is still there
  function shelfPrice() {
    var typed = sku.value.trim().toUpperCase();
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === typed) { return list.options[i].getAttribute("data-price"); }
    }
    return null;
  }
  sku.addEventListener("change", function () {
    if (price.value.trim() !== "" && price.value !== shown) { return; }  // the clerk's own
    var found = shelfPrice();
    price.value = found !== null ? found : "";
    shown = price.value;
  });
});
