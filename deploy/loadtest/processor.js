// Artillery processor for artillery.yaml: the original scenario's two hooks.
//   generateRandomData: puts a random cookie name in the scenario's `nameOnCard` variable.
//   logError: logs every response that is not 201 (status, error code and message,
//             request id), and counts it as an Artillery metric per status code.
"use strict";

const FIRST = ["Ginger", "Choco", "Matcha", "Vanilla", "Strawberry", "Mint", "Caramel",
  "Pumpkin", "Sesame", "Honey", "Cocoa", "Butter", "Lemon", "Berry"];
const SECOND = ["Brave", "Dream", "Sparkle", "Pie", "Crunch", "Drop", "Swirl", "Puff",
  "Chip", "Whirl", "Twist", "Crumb"];
const KOREAN = ["준성맛 쿠키", "용감한 쿠키", "딸기맛 쿠키", "마법사맛 쿠키"];

function pick(list) {
  return list[Math.floor(Math.random() * list.length)];
}

function randomName() {
  const number = 1 + Math.floor(Math.random() * 9999);
  if (Math.random() < 0.2) {
    return `${pick(KOREAN)} ${number % 100}`;
  }
  return `${pick(FIRST)}${pick(SECOND)} ${number}`;
}

function generateRandomData(context, events, done) {
  context.vars.nameOnCard = randomName();
  return done();
}

function logError(requestParams, response, context, events, done) {
  if (response.statusCode !== 201) {
    let detail = "";
    try {
      const error = JSON.parse(response.body).error || {};
      detail = ` ${error.code}: ${error.message}`;
    } catch (_) {
      detail = ` (non-JSON body, ${String(response.body || "").length} bytes)`;
    }
    const requestId = response.headers["x-request-id"] || "-";
    console.error(`citizen-card: ${response.statusCode} for nameOnCard=${JSON.stringify(context.vars.nameOnCard)}` +
      ` request-id=${requestId}${detail}`);
    if (events) {
      events.emit("counter", `citizen_card.status.${response.statusCode}`, 1);
    }
  }
  return done();
}

module.exports = { generateRandomData, logError };
