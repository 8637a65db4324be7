/**
 * The form's script (served as a file: the consumer pages' CSP allows no inline script). Photos are
 * redrawn on a canvas at most 1280 px wide or high and sent as JPEG: small enough for a rural
 * connection and the 1 MiB body limit, and the redrawn copy carries no EXIF (no GPS position) even
 * before the server re-encodes it. ES2017, no modules: WeChat's and older Android browsers run it.
 */
export const REPORT_SCRIPT = `(function () {
  'use strict';
  var form = document.getElementById('report-form');
  if (!form) return;
  var error = document.getElementById('report-error');
  var button = form.querySelector('button[type=submit]');
  var MAX_SIDE = 1280, MAX_BYTES = 230 * 1024, MAX_FILES = 3;
  var MESSAGES = {
    text: '请填写问题描述（5 至 1000 字）', category: '请选择问题类型', phone: '手机号应为 11 位中国大陆手机号',
    phoneConsent: '留下手机号需要勾选同意说明', code: '未找到该追溯码', photos: '照片无法读取或过大，请换一张'
  };
  function show(text) { error.textContent = text; error.hidden = false; button.disabled = false; button.textContent = '提交反馈'; }
  // The page's CSP allows images from data: URLs, not blob: ones: decode with createImageBitmap, or a data URL.
  function loadImage(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file).then(function (bitmap) { return { source: bitmap, width: bitmap.width, height: bitmap.height }; });
    }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onerror = reject;
      reader.onload = function () {
        var img = new Image();
        img.onload = function () { resolve({ source: img, width: img.naturalWidth, height: img.naturalHeight }); };
        img.onerror = function () { reject(new Error('image')); };
        img.src = String(reader.result);
      };
      reader.readAsDataURL(file);
    });
  }
  function toBlob(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, 'image/jpeg', quality); });
  }
  function base64(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result).split(',')[1]); };
      reader.onerror = reject;
      reader.readAsDataURL(blob);
    });
  }
  async function shrink(file) {
    var img = await loadImage(file);
    var scale = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
    var canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.width * scale));
    canvas.height = Math.max(1, Math.round(img.height * scale));
    canvas.getContext('2d').drawImage(img.source, 0, 0, canvas.width, canvas.height);
    var qualities = [0.82, 0.7, 0.55, 0.4];
    for (var i = 0; i < qualities.length; i++) {
      var blob = await toBlob(canvas, qualities[i]);
      if (blob && blob.size <= MAX_BYTES) return { contentType: 'image/jpeg', data: await base64(blob) };
    }
    throw new Error('size');
  }
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    error.hidden = true;
    var files = Array.prototype.slice.call(form.elements.photos.files || []);
    if (files.length > MAX_FILES) return show('最多上传 ' + MAX_FILES + ' 张照片');
    button.disabled = true;
    button.textContent = '正在提交…';
    var photos = [];
    try {
      for (var i = 0; i < files.length; i++) photos.push(await shrink(files[i]));
    } catch (e) {
      return show(MESSAGES.photos);
    }
    var body = {
      code: form.getAttribute('data-code'), category: form.elements.category.value, text: form.elements.text.value,
      photos: photos, phone: form.elements.phone.value, phoneConsent: form.elements.phoneConsent.checked
    };
    try {
      var res = await fetch('/api/v1/consumer-reports', {
        method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body)
      });
      var answer = await res.json().catch(function () { return {}; });
      if (res.ok && answer.followUpUrl) { location.assign(new URL(answer.followUpUrl).pathname); return; }
      if (res.status === 429) return show('提交过于频繁，请稍后再试');
      var field = answer.details && answer.details.field ? String(answer.details.field).replace(/\\[\\d+\\]$/, '') : '';
      show(MESSAGES[field] || answer.message || '提交失败，请稍后再试');
    } catch (e) {
      show('网络不稳定，提交失败，请稍后再试');
    }
  });
})();
`;
