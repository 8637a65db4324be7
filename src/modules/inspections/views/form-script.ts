import { PHOTO_MAX_FILES } from '../domain';

/** A shrunk photo's largest size: six of them, base64 in a urlencoded form, stay under the 1 MiB body limit. */
const PHOTO_FORM_BYTES = 100 * 1024;

/**
 * The inspection form's script (served as /app/inspections/form.js; the page works without it).
 * Poor connections in the field: the form's state is kept in the phone's localStorage under an
 * idempotency key generated here, so a reload, a crash or a failed submit loses nothing; the key
 * goes with the POST (`_key`), so submitting twice records one inspection. The draft belongs to
 * the page address it was started on; the inspection's page, once recorded, forgets it.
 * Photos of a finding (up to the inspection's limit in all) are redrawn on a canvas (at most 1280 px,
 * JPEG ≤ 100 KiB, no EXIF) and kept as hidden `photo` fields (`itemKey|contentType|base64`), so they
 * are in the draft too and survive a reload; the submit button is disabled once pressed.
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
function save(){var d={};fields().forEach(function(el){if(el.type==='checkbox'||el.type==='radio'||el.name==='photo'){if(el.type==='hidden'||el.checked)(d[el.name]=d[el.name]||[]).push(el.value);}else d[el.name]=el.value;});
try{store.setItem(P+key.value,JSON.stringify({page:home,savedAt:new Date().toISOString(),fields:d}));store.setItem(P+'current',key.value);say('草稿已保存在本机（'+new Date().toLocaleTimeString('zh-CN',{timeZone:'Asia/Shanghai',hour:'2-digit',minute:'2-digit'})+'）');}catch(e){say('本机存储已满，草稿未保存');}}
function restore(d){Array.prototype.forEach.call(f.querySelectorAll('input[name=photo]'),function(el){el.remove();});
(d.photo||[]).forEach(function(v){var box=f.querySelector('[data-photos="'+v.split('|')[0]+'"]');if(box)addPhoto(box,v);});
fields().forEach(function(el){if(el.name==='photo')return;if(el.type==='checkbox'||el.type==='radio'){el.checked=(d[el.name]||[]).indexOf(el.value)>=0;}else if(Object.prototype.hasOwnProperty.call(d,el.name)){el.value=d[el.name];}});showPhotos();}
var MAXP=${PHOTO_MAX_FILES},MAXB=${PHOTO_FORM_BYTES};
function addPhoto(box,v){var h=document.createElement('input');h.type='hidden';h.name='photo';h.value=v;box.insertBefore(h,box.querySelector('label'));}
function showPhotos(){Array.prototype.forEach.call(f.querySelectorAll('[data-photos]'),function(box){var list=box.querySelector('.thumbs');if(!list){list=document.createElement('div');list.className='thumbs';box.insertBefore(list,box.querySelector('label'));}list.textContent='';
Array.prototype.forEach.call(box.querySelectorAll('input[name=photo]'),function(h){var p=h.value.split('|'),fig=document.createElement('span'),img=document.createElement('img'),rm=document.createElement('button');img.src='data:'+p[1]+';base64,'+p[2];img.alt='现场照片';rm.type='button';rm.textContent='删除';rm.setAttribute('aria-label','删除这张照片');
rm.addEventListener('click',function(){h.remove();showPhotos();save();});fig.appendChild(img);fig.appendChild(rm);list.appendChild(fig);});});
var n=f.querySelectorAll('input[name=photo]').length;Array.prototype.forEach.call(f.querySelectorAll('[data-photo-input]'),function(i){i.disabled=n>=MAXP;});}
function load(file){return new Promise(function(ok,no){var r=new FileReader();r.onerror=no;r.onload=function(){var img=new Image();img.onload=function(){ok(img);};img.onerror=function(){no(new Error('image'));};img.src=String(r.result);};r.readAsDataURL(file);});}
function shrink(file){return load(file).then(function(img){var side=1280;function attempt(q){var s=Math.min(1,side/Math.max(img.naturalWidth,img.naturalHeight)),c=document.createElement('canvas');c.width=Math.max(1,Math.round(img.naturalWidth*s));c.height=Math.max(1,Math.round(img.naturalHeight*s));c.getContext('2d').drawImage(img,0,0,c.width,c.height);
var url=c.toDataURL('image/jpeg',q),b64=url.split(',')[1];if(b64.length*3/4<=MAXB)return'image/jpeg|'+b64;if(q>0.45)return attempt(q-0.15);if(side>480){side=Math.round(side*0.75);return attempt(0.8);}throw new Error('size');}return attempt(0.8);});}
f.addEventListener('change',function(e){var input=e.target;if(!input||!input.hasAttribute||!input.hasAttribute('data-photo-input'))return;var box=input.closest('[data-photos]'),files=Array.prototype.slice.call(input.files||[]),room=MAXP-f.querySelectorAll('input[name=photo]').length;
if(files.length>room){say('每份巡查记录最多 '+MAXP+' 张照片，已只添加前 '+Math.max(room,0)+' 张');files=files.slice(0,Math.max(room,0));}
files.reduce(function(p,file){return p.then(function(){return shrink(file).then(function(v){addPhoto(box,input.getAttribute('data-photo-input')+'|'+v);},function(){say('照片无法读取或过大，请换一张');});});},Promise.resolve()).then(function(){input.value='';showPhotos();save();});});
var cur=store.getItem(P+'current'),draft=null;
try{draft=cur?JSON.parse(store.getItem(P+cur)||'null'):null;}catch(e){draft=null;}
var retry=f.querySelector('.err');
if(retry){if(draft&&cur===key.value)home=draft.page;key.value=key.value||newKey();save();}
else if(draft&&draft.page===page){key.value=cur;restore(draft.fields);say('已恢复本机保存的草稿（'+new Date(draft.savedAt).toLocaleTimeString('zh-CN',{timeZone:'Asia/Shanghai',hour:'2-digit',minute:'2-digit'})+' 保存），提交后自动清除');}
else{key.value=newKey();save();}
f.setAttribute('data-key',key.value);showPhotos();
var sent=false;f.addEventListener('submit',function(e){if(sent){e.preventDefault();return;}sent=true;var b=f.querySelector('button[type=submit]');if(b){b.disabled=true;b.textContent='正在提交…';}});
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
.inspection-form button[type=submit]{width:100%;min-height:48px}
.inspection-form .thumbs{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0}
.inspection-form .thumbs span{display:flex;flex-direction:column;align-items:center;gap:4px}
.inspection-form .thumbs img{width:96px;height:96px;object-fit:cover;border-radius:6px;border:1px solid #b9c6be}
.inspection-form .thumbs button{min-height:36px;padding:0 10px}`;
