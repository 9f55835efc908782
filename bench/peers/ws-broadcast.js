#!/usr/bin/env node
// The baseline a user would write in an afternoon: a plain Node.js `ws` broadcast server.
//
//   node peers/ws-broadcast.js [--port N]        (prints "listening on http://127.0.0.1:PORT")
//
// It speaks the subset of AlertHub's protocol that the benchmark uses:
//   POST /api/v1/events       one event, or {"events":[...]}; 202 {"accepted":N}. Each event is sent, serialized
//                             once, to every connection subscribed to one of its topics (characteristic:<id> and
//                             "topics"), numbered with a "seq" like the hub's. No validation, no durable log.
//   WS /ws?characteristic_ids=1,2&topics=line:7
//                             subscribe at connect (exact topics, no patterns); answered by "welcome" then
//                             "subscribed". Client messages: subscribe / unsubscribe (same shapes), ping -> pong.
'use strict';
const http = require('http');
const { WebSocketServer } = require('ws');

let port = 0;
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--port' && i + 1 < process.argv.length) port = Number(process.argv[++i]);
  else { console.error('usage: ws-broadcast.js [--port N]'); process.exit(2); }
}

const subscribers = new Map();   // topic -> Set of sockets
let seq = 0;

function topicsOf(e) {
  const topics = [];
  if (e.characteristic_id !== undefined && e.characteristic_id !== null) topics.push(`characteristic:${e.characteristic_id}`);
  if (Array.isArray(e.topics)) for (const t of e.topics) if (!topics.includes(t)) topics.push(t);
  return topics;
}

function subscribe(ws, msg, add) {
  const topics = [];
  for (const id of msg.characteristic_ids || []) topics.push(`characteristic:${id}`);
  for (const t of msg.topics || []) topics.push(t);
  for (const t of topics) {
    if (add) {
      if (!subscribers.has(t)) subscribers.set(t, new Set());
      subscribers.get(t).add(ws);
      ws.topics.add(t);
    } else {
      const set = subscribers.get(t);
      if (set) { set.delete(ws); if (set.size === 0) subscribers.delete(t); }
      ws.topics.delete(t);
    }
  }
  ws.send(JSON.stringify({ type: 'subscribed', topics: [...ws.topics] }));
}

function publish(e) {
  const topics = topicsOf(e);
  const message = JSON.stringify({
    type: e.type, seq: ++seq, topic: topics[0], topics, characteristic_id: e.characteristic_id,
    severity: e.severity || 'INFO', timestamp: e.timestamp || new Date().toISOString(), payload: e.payload,
  });
  const sent = topics.length > 1 ? new Set() : null;
  for (const t of topics) {
    const set = subscribers.get(t);
    if (!set) continue;
    for (const ws of set) {
      if (sent) { if (sent.has(ws)) continue; sent.add(ws); }
      ws.send(message);
    }
  }
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/v1/events') {
    res.writeHead(404, { 'content-length': 0 });
    return res.end();
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try { body = JSON.parse(Buffer.concat(chunks)); } catch (err) {
      const text = JSON.stringify({ error: { code: 'invalid_json', message: String(err.message) } });
      res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      return res.end(text);
    }
    const events = Array.isArray(body.events) ? body.events : [body];
    for (const e of events) publish(e);
    const text = JSON.stringify({ accepted: events.length });
    res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
});

const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (ws, req) => {
  ws.topics = new Set();
  const query = new URL(req.url, 'http://localhost').searchParams;
  const list = (name) => (query.get(name) || '').split(',').filter((s) => s.length > 0);
  ws.send(JSON.stringify({ type: 'welcome', last_seq: seq }));
  const first = { characteristic_ids: list('characteristic_ids'), topics: list('topics') };
  if (first.characteristic_ids.length + first.topics.length > 0) subscribe(ws, first, true);
  ws.on('message', (data) => {
    let msg;
    try { msg = JSON.parse(data); } catch (err) {
      return ws.send(JSON.stringify({ type: 'error', code: 'invalid_json', message: String(err.message) }));
    }
    if (msg.type === 'subscribe') subscribe(ws, msg, true);
    else if (msg.type === 'unsubscribe') subscribe(ws, msg, false);
    else if (msg.type === 'ping') ws.send(JSON.stringify({ type: 'pong', last_seq: seq }));
  });
  ws.on('close', () => {
    for (const t of ws.topics) {
      const set = subscribers.get(t);
      if (set) { set.delete(ws); if (set.size === 0) subscribers.delete(t); }
    }
  });
  ws.on('error', () => {});
});

server.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
