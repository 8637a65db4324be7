/**
 * The inspection form's script (served as /app/inspections/form.js; the page works without it).
 * Poor connections in the field: the form's state is kept in the phone's localStorage under an
 * idempotency key generated here, so a reload, a crash or a failed submit loses nothing; the key
 * goes with the POST (`_key`), so submitting twice records one inspection. The draft belongs to
 * the page address it was started on; the inspection's page, once recorded, forgets it.
 */
export const INSPECTION_FORM_JS = `(function(){
var P='tt-inspection:';var store;try{store=window.localStorage;store.getItem(P);}catch(e){return;}
var done=document.querySelector('[data-draft-done]');
if(done){var k=done.getAttribute('data-draft-done');store.removeItem(P+k);if(store.getItem(P+'current')===k)store.removeItem(P+'current');}
var f=document.querySelector('form.inspection-form');if(!f)return;
var key=f.querySelector('input[name=_key]'),status=document.querySelector('[data-draft-status]'),discard=document.querySelector('[data-draft-discard]');
var page=location.pathname+location.search,home=page;
function newKey(){if(window.crypto&&crypto.randomUUID)return crypto.randomUUID();var a=new Uint8Array(16);crypto.getRandomValues(a);return Array.prototype.map.call(a,function(b){return('0'+b.toString(16)).slice(-2);}).join('');}
function say(t){if(status)status.textContent=t;}
function fields(){return Array.prototype.filter.call(f.elements,function(el){return el.name&&el.name!=='_csrf'&&el.name!=='_key'&&el.type!=='file'&&el.type!=='submit';});}
function save(){var d={};fields().forEach(function(el){if(el.type==='checkbox'||el.type==='radio'){if(el.checked)(d[el.name]=d[el.name]||[]).push(el.value);}else d[el.name]=el.value;});
try{store.setItem(P+key.value,JSON.stringify({page:home,savedAt:new Date().toISOString(),fields:d}));store.setItem(P+'current',key.value);say('草稿已保存在本机（'+new Date().toLocaleTimeString('zh-CN',{timeZone:'Asia/Shanghai',hour:'2-digit',minute:'2-digit'})+'）');}catch(e){say('本机存储已满，草稿未保存');}}
function restore(d){fields().forEach(function(el){if(el.type==='checkbox'||el.type==='radio'){el.checked=(d[el.name]||[]).indexOf(el.value)>=0;}else if(Object.prototype.hasOwnProperty.call(d,el.name)){el.value=d[el.name];}});}
var cur=store.getItem(P+'current'),draft=null;
try{draft=cur?JSON.parse(store.getItem(P+cur)||'null'):null;}catch(e){draft=null;}
var retry=f.querySelector('.err');
if(retry){if(draft&&cur===key.value)home=draft.page;key.value=key.value||newKey();save();}
else if(draft&&draft.page===page){key.value=cur;restore(draft.fields);say('已恢复本机保存的草稿（'+new Date(draft.savedAt).toLocaleTimeString('zh-CN',{timeZone:'Asia/Shanghai',hour:'2-digit',minute:'2-digit'})+' 保存），提交后自动清除');}
else{key.value=newKey();save();}
f.setAttribute('data-key',key.value);
f.addEventListener('input',save);f.addEventListener('change',save);
if(discard){discard.hidden=false;discard.addEventListener('click',function(){store.removeItem(P+key.value);store.removeItem(P+'current');location.reload();});}
})();`;

/** The form's sheet: one column of large targets; a finding's fields show once 不符合 is chosen. */
export const INSPECTION_FORM_CSS = `.inspection-form .item{border-top:1px solid #dfe7e2;padding:10px 0}
.inspection-form .item p{margin:0 0 6px}
.inspection-form .choices{display:flex;flex-wrap:wrap;gap:8px}
.inspection-form .choices .chk{display:flex;align-items:center;gap:6px;min-height:44px;padding:0 14px;border:1px solid #b9c6be;border-radius:22px}
.inspection-form .choices input{width:auto;margin:0}
.inspection-form .choices .chk:has(input:checked){background:#e6f2ea;border-color:#2f7a4d}
.inspection-form .item:not(:has(input[value="fail"]:checked)) .finding{display:none}
.inspection-form button[type=submit]{width:100%;min-height:48px}`;
