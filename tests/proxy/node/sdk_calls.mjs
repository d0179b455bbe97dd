// One create and one stream with the official TypeScript SDK; prints what the app saw as JSON.
// Configured by the environment only (ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY), as apps usually are.
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ maxRetries: 0 });
const model = "claude-sonnet-4-6";
const created = await client.messages.create({
  model, max_tokens: 64, messages: [{ role: "user", content: "TypeScript says hello" }],
});
const stream = client.messages.stream({
  model, max_tokens: 64, messages: [{ role: "user", content: "TypeScript streams a story" }],
});
const texts = [];
stream.on("text", (text) => texts.push(text));
const final = await stream.finalMessage();
console.log(JSON.stringify({ created, texts, final }));
