/**
 * The site's icon (browser tabs, home-screen bookmarks): a green tile with a QR finder pattern and
 * a leaf-coloured dot. SVG, so one small file serves every size; answered at /favicon.svg and at
 * /favicon.ico (browsers ask for that path on their own, and accept SVG content there).
 */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="6" fill="#1b7a43"/>' +
  '<rect x="5" y="5" width="12" height="12" rx="1.5" fill="#fff"/><rect x="8" y="8" width="6" height="6" fill="#1b7a43"/>' +
  '<rect x="20" y="5" width="7" height="4" fill="#fff"/><rect x="5" y="20" width="4" height="7" fill="#fff"/>' +
  '<circle cx="22" cy="22" r="5" fill="#b6e07a"/></svg>';

export const FAVICON_LINK = '/favicon.svg';
