/** The dashboard's additions to the console sheet: wider pages, tiles, charts, indicator cells. */
export const DASHBOARD_CSS = `
main{max-width:1200px}
.sub{display:flex;flex-wrap:wrap;gap:4px 14px;margin:0 0 10px}.sub a[aria-current]{font-weight:700;text-decoration:none}
.trail{margin:0 0 10px;color:#5d6b63}.trail a{margin:0 2px}
form.filters{display:grid;gap:0 12px;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));align-items:end}
form.filters label.f{margin-bottom:8px}form.filters input,form.filters select{height:44px;padding:0 10px}form.filters button{margin:0 0 8px;width:100%}
.tiles{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));margin:0 0 12px}
.tile{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.06);border-top:5px solid #9aa7a0}
.tile.yes{border-top-color:#1d6b43}.tile.no{border-top-color:#c62828}
.tile h3{font-size:14px;margin:0 0 4px;color:#33423a;font-weight:600}
.tile .big{font-size:30px;font-weight:700;margin:0;line-height:1.2}.tile .big small{font-size:14px;font-weight:400}
.tile p{margin:2px 0}.tile .frac,.tile .target{font-size:13px;color:#5d6b63}.tile .ref{font-size:12px;color:#5d6b63}
.met.yes{color:#1d6b43;font-weight:700}.met.no{color:#c62828;font-weight:700}.met.unknown{color:#5d6b63}
.charts{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(300px,1fr))}
.charts figure{margin:0;background:#fff;border-radius:10px;padding:10px 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.charts figcaption{font-size:14px;font-weight:600;margin:0 0 4px}
svg.chart{width:100%;height:auto;display:block;font-size:10px;fill:#5d6b63}
svg.chart .line{fill:none;stroke:#1d6b43;stroke-width:2}svg.chart .dot{fill:#1d6b43}
svg.chart .target{stroke:#c62828;stroke-width:1;stroke-dasharray:4 3}svg.chart .target-label{fill:#c62828}
svg.chart .axis,svg.chart .tick{stroke:#b9c6be}svg.chart .bar{fill:#5b9b78}
.card-head{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:4px 12px}
.exports{margin:0 0 8px}.exports a{margin-left:10px;white-space:nowrap}
table[data-table] th,table[data-table] td{white-space:nowrap}table th[scope=row]{font-weight:400}
details summary{cursor:pointer;color:#1d6b43;padding:4px 0}form.filters .submit{margin-bottom:8px}td.num,td.ind{text-align:right;white-space:nowrap}td.ind small{color:#5d6b63}
thead th{background:#f3f6f4;white-space:nowrap;font-size:14px}
.pager{margin:10px 0 0}
dl.facts{display:grid;grid-template-columns:6em 1fr;gap:4px 10px;margin:0}dl.facts dt{color:#5d6b63}dl.facts dd{margin:0;word-break:break-all}
table caption{caption-side:bottom;text-align:left;color:#5d6b63;font-size:13px;padding:6px 0 0}
`;
