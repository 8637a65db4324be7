import { createHash } from 'node:crypto';

/** A sheet's URL carries its content's hash: a new version is fetched at once, an old one cached long. */
export function versionedUrl(path: string, content: string): string {
  return `${path}?v=${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
}

/** The console's one sheet, a served file (the console's CSP allows no inline style). */
export const CONSOLE_CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2a24;background:#f3f6f4}
.bar{display:flex;justify-content:space-between;align-items:center;background:#1d6b43;color:#fff;padding:10px 14px;gap:8px}
.bar .who{opacity:.85;font-size:13px;margin-left:8px}.bar form{margin:0}
button.link{background:none;border:0;color:#fff;text-decoration:underline;padding:4px;font-size:14px;width:auto;margin:0}
nav{display:flex;overflow-x:auto;background:#fff;border-bottom:1px solid #dde5e0}
nav a{padding:10px 12px;white-space:nowrap;color:#1f2a24;text-decoration:none}nav a[aria-current]{border-bottom:3px solid #1d6b43;font-weight:600}
main{max-width:960px;margin:0 auto;padding:12px}h1{font-size:20px;margin:4px 0 12px}h2{font-size:17px;margin:0 0 8px;color:#1d6b43}
.card{background:#fff;border-radius:10px;padding:14px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.grid{display:grid;gap:12px}@media(min-width:760px){.grid{grid-template-columns:1fr 1fr}}
label.f,fieldset.f{display:block;margin:0 0 12px;border:0;padding:0}label.f span,legend{display:block;font-weight:600;margin-bottom:4px}
input,select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #b9c6be;border-radius:8px;background:#fff}
input[type=checkbox]{width:auto}label.chk{display:block;padding:6px 0}
[aria-invalid=true]{border-color:#c62828;background:#fff6f6}
small{color:#5d6b63}.req{color:#c62828}
.err{color:#c62828;margin:4px 0 0;font-size:14px}.err.general{background:#fdecea;padding:10px;border-radius:8px;margin:0 0 12px}
button{font:inherit;background:#1d6b43;color:#fff;border:0;border-radius:8px;padding:12px 18px;min-height:44px;width:100%;margin-top:4px}
button[disabled]{opacity:.6}button.danger{background:#c62828}.danger-form{border-left:4px solid #c62828}@media(min-width:760px){button{width:auto}}
a.btn{display:inline-block;background:#1d6b43;color:#fff;border-radius:8px;padding:10px 14px;text-decoration:none;margin:4px 4px 4px 0}
table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:8px;border-bottom:1px solid #eef2ef;font-size:15px}
.list{list-style:none;margin:0;padding:0}.list li{padding:8px 0;border-bottom:1px solid #eef2ef}
.muted{color:#5d6b63;font-size:13px}.tag{display:inline-block;border-radius:6px;padding:0 6px;font-size:13px;background:#e6f1ea;color:#1d6b43}
.tag.on_hold,.tag.warn{background:#fff4e5;color:#8a5a00}.tag.recalled,.tag.voided,.tag.bad{background:#fdecea;color:#c62828}
.alert{border-left:4px solid #c62828;background:#fff;padding:10px 12px;border-radius:6px;margin:0 0 8px}
.ok{background:#e6f1ea;padding:10px;border-radius:8px;margin:0 0 12px}
.qr svg{width:160px;height:160px}iframe{width:100%;height:480px;border:1px solid #dde5e0;border-radius:10px;background:#fff}
progress{width:100%;height:18px}code{word-break:break-all}.scroll{overflow-x:auto}
video{width:100%;max-width:420px;border-radius:10px;background:#000}a{color:#1d6b43}
.verdict{border-radius:12px;padding:14px;margin:0 0 12px;color:#fff}.verdict.pass{background:#1d6b43}.verdict.fail{background:#c62828}
.verdict .big{font-size:34px;font-weight:700;text-align:center;margin:4px 0 8px}.verdict .list li{border-color:rgba(255,255,255,.3)}
.verdict .reason{font-size:18px;font-weight:600;margin:4px 0}.muted-inv{font-size:14px;opacity:.9;margin:4px 0}
.verdict select{color:#1f2a24}button.light{background:#fff;color:#1d6b43;border:1px solid #1d6b43}.verdict button.light{border-color:#fff}
.tap{display:flex;gap:8px}.tap legend{width:100%}.tap label{flex:1;position:relative}.tap input{position:absolute;opacity:0;width:1px;height:1px}
.tap span{display:block;text-align:center;padding:14px 4px;border:2px solid #b9c6be;border-radius:10px;font-weight:600;font-size:17px;background:#fff}
.tap input:checked+span{background:#1d6b43;border-color:#1d6b43;color:#fff}.tap .no input:checked+span{background:#c62828;border-color:#c62828}
.tap input:focus-visible+span{outline:3px solid #f2b705}.pair{display:grid;grid-template-columns:2fr 1fr;gap:8px}
.pick li a{display:block;padding:6px 0;font-size:17px}.chosen{font-size:18px;margin:0}details.f summary{padding:8px 0;color:#1d6b43}
.search{display:flex;gap:8px;align-items:flex-end}.search label{flex:1;margin:0}.search button{width:auto}
[data-camera] button{font-size:18px}
a.chip{display:inline-block;border:1px solid #b9c6be;border-radius:20px;padding:9px 14px;margin:4px 6px 4px 0;text-decoration:none;background:#fff}a.chip[aria-current]{background:#1d6b43;border-color:#1d6b43;color:#fff}
form.inline{margin-top:8px}details summary{cursor:pointer;padding:6px 0}form.inline label.f{margin-bottom:4px}`;

export const CONSOLE_CSS_URL = versionedUrl('/app/static/console.css', CONSOLE_CSS);
