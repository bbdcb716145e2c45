// Parley drives the system Chromium (PARLEY_CHROMIUM_PATH); no install step may download a browser.
module.exports = { skipDownload: true };
