// SPDX-License-Identifier: GPL-3.0-or-later
//
// The official GREEN-API JavaScript SDK's getAvatar, then the picture fetched with node's
// https, the way an integration using the SDK would show an avatar. Prints one JSON line per
// lookup with its time in ms, measured inside this process (node's start-up excluded).
// Never prints a URL: the request URLs carry the token.
'use strict';

const https = require('https');
const { performance } = require('perf_hooks');
const whatsAppClient = require('@green-api/whatsapp-api-client');

const [apiUrl, idInstance, apiTokenInstance, firstChat, rounds] = process.argv.slice(2);

function download(url) {
  return new Promise((resolve, reject) => {
    https.get(url, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode === 200)
          resolve(Buffer.concat(chunks));
        else
          reject(new Error(`image host answered ${res.statusCode}`));
      });
    }).on('error', reject);
  });
}

async function main() {
  const api = whatsAppClient.restAPI({ idInstance, apiTokenInstance, host: apiUrl });

  for (let i = 0; i < Number(rounds); i++) {
    const chatId = `${BigInt(firstChat) + BigInt(i + 1)}@c.us`;
    const start = performance.now();
    const answer = await api.instance.getAvatar(chatId);
    const picture = await download(answer.urlAvatar);
    const ms = performance.now() - start;
    console.log(JSON.stringify({ round: i, ms, bytes: picture.length }));
  }
}

main().catch((error) => {
  console.error(`bench-sdk: ${error.code || error.name}`);
  process.exit(1);
});
