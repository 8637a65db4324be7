/**
 * The console's only script (progressive: every page works without it). It asks before a
 * destructive form (data-confirm) is sent, disables a form's buttons once submitted, polls a large
 * print run's progress, reads a chosen CSV file into its text box (data-into), and decodes QR codes
 * from the phone camera where a form has a [data-camera] field (jsQR, loaded only on demand).
 */
export const CONSOLE_JS = `(function(){
document.addEventListener('submit',function(e){var f=e.target;if(f.dataset.sent){e.preventDefault();return;}
if(f.dataset.confirm&&!window.confirm(f.dataset.confirm)){e.preventDefault();return;}f.dataset.sent='1';
setTimeout(function(){f.querySelectorAll('button').forEach(function(b){b.disabled=true;});},0);},true);
var p=document.querySelector('[data-progress-url]');
if(p){var bar=p.querySelector('progress'),txt=p.querySelector('[data-progress-text]'),dl=p.querySelector('[data-download]');
var tick=function(){fetch(p.dataset.progressUrl,{credentials:'same-origin',headers:{accept:'application/json'}}).then(function(r){
if(r.redirected||r.status===401){location.reload();return null;}return r.json();}).then(function(s){if(!s)return;
bar.value=s.progress;txt.textContent=s.status==='done'?'已完成':s.status==='failed'?'生成失败，请重试':Math.round(s.progress)+'%';
if(s.status==='done'){dl.hidden=false;}else if(s.status!=='failed'){setTimeout(tick,1000);}}).catch(function(){setTimeout(tick,3000);});};tick();}
document.querySelectorAll('input[type=file][data-into]').forEach(function(i){i.addEventListener('change',function(){var t=document.querySelector(i.dataset.into),f=i.files&&i.files[0];
if(!t||!f)return;var r=new FileReader();r.onload=function(){t.value=String(r.result).replace(/^\ufeff/,'');};r.readAsText(f);});});
var cam=document.querySelector('[data-camera]');
if(cam&&navigator.mediaDevices){var btn=cam.querySelector('button[data-start]');btn.hidden=false;btn.addEventListener('click',function(){
var s=document.createElement('script');s.src='/app/static/jsqr.js';s.onload=function(){start();};document.head.appendChild(s);});
function start(){var v=cam.querySelector('video'),c=document.createElement('canvas'),x=c.getContext('2d',{willReadFrequently:true}),out=document.querySelector(cam.dataset.camera);
navigator.mediaDevices.getUserMedia({video:{facingMode:'environment'}}).then(function(st){v.hidden=false;v.srcObject=st;v.play();
var scan=function(){if(v.readyState===v.HAVE_ENOUGH_DATA){c.width=v.videoWidth;c.height=v.videoHeight;x.drawImage(v,0,0);
var r=window.jsQR(x.getImageData(0,0,c.width,c.height).data,c.width,c.height);if(r&&r.data){out.value=r.data;st.getTracks().forEach(function(t){t.stop();});v.hidden=true;out.form.requestSubmit();return;}}
requestAnimationFrame(scan);};scan();}).catch(function(){cam.querySelector('[data-camera-error]').hidden=false;});}}
})();`;
