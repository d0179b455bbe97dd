// The official TypeScript SDK (@anthropic-ai/sdk) against `fakeclaude serve`, used as its README shows.
// The client reads ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY; retries are off so failures show at once.

import Anthropic, { toFile } from "@anthropic-ai/sdk";
import { betaTool } from "@anthropic-ai/sdk/helpers/beta/json-schema";
import { jsonSchemaOutputFormat } from "@anthropic-ai/sdk/helpers/json-schema";

import { MODEL, expect, main, scenario } from "./_scenario.mjs";

const HELLO = [{ role: "user", content: "Say hi in one short sentence." }];
const client = () => new Anthropic({ maxRetries: 0 });
const textOf = (message) => message.content.filter((b) => b.type === "text").map((b) => b.text).join("");

scenario("chat", async () => {
  const message = await client().messages.create({ model: MODEL, max_tokens: 256, messages: HELLO });
  expect(textOf(message).trim(), `no text: ${JSON.stringify(message.content)}`);
  expect(message.stop_reason === "end_turn", `stop_reason ${message.stop_reason}`);
});

scenario("stream", async () => {
  const stream = client().messages.stream({ model: MODEL, max_tokens: 256, messages: HELLO });
  const pieces = [];
  stream.on("text", (piece) => pieces.push(piece));
  const final = await stream.finalMessage();
  expect(pieces.length > 0, "no text deltas");
  expect(pieces.join("") === textOf(final), "the deltas do not assemble to the final message's text");
});

scenario("tool_loop", async () => {
  const calls = [];
  const getWeather = betaTool({
    name: "get_weather",
    description: "Current weather in a city.",
    inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    run: async ({ city }) => {
      calls.push(city);
      return `Sunny and 21 C in ${city}`;
    },
  });
  const final = await client().beta.messages.toolRunner({
    model: MODEL,
    max_tokens: 512,
    max_iterations: 5,
    tools: [getWeather],
    messages: [{ role: "user", content: "What is the weather in Paris? Use the get_weather tool." }],
  });
  expect(calls.length > 0, "the tool runner finished without calling the tool");
  expect(final.stop_reason === "end_turn" && textOf(final).trim(), `no final text: stop_reason ${final.stop_reason}`);
});

scenario("structured_output", async () => {
  const schema = {
    type: "object",
    properties: { name: { type: "string" }, country: { type: "string" }, population: { type: "integer" } },
    required: ["name", "country", "population"],
    additionalProperties: false,
  };
  const message = await client().messages.parse({
    model: MODEL,
    max_tokens: 512,
    messages: [{ role: "user", content: "Describe Paris as JSON." }],
    output_config: { format: jsonSchemaOutputFormat(schema) },
  });
  const city = message.parsed_output;
  expect(city && typeof city.name === "string" && Number.isInteger(city.population), `parsed_output ${JSON.stringify(city)}`);
});

scenario("thinking", async () => {
  const message = await client().messages.create({
    model: MODEL, max_tokens: 2048, messages: HELLO, thinking: { type: "enabled", budget_tokens: 1024 },
  });
  const kinds = message.content.map((b) => b.type);
  expect(kinds[0] === "thinking", `content starts with ${JSON.stringify(kinds)}`);
  expect(textOf(message).trim(), "no text after the thinking");
});

scenario("count_tokens", async () => {
  const counted = await client().messages.countTokens({ model: MODEL, messages: HELLO });
  expect(counted.input_tokens > 0, `input_tokens ${counted.input_tokens}`);
});

scenario("error", async () => {
  try {
    await client().messages.create({ model: "claude-no-such-model", max_tokens: 16, messages: HELLO });
  } catch (error) {
    expect(error instanceof Anthropic.NotFoundError, `got ${error?.constructor?.name}: ${error?.message}`);
    expect(error.status === 404, `status ${error.status}`);
    return;
  }
  throw new Error("an unknown model was answered");
});

const PDF = "%PDF-1.4\n1 0 obj << /Type /Pages /Count 1 >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF\n";

scenario("files", async () => {
  const anthropic = client();
  const api = anthropic.files ?? anthropic.beta.files; // GA in newer SDKs, beta before
  const uploaded = await api.upload({ file: await toFile(Buffer.from(PDF), "report.pdf", { type: "application/pdf" }) });
  expect(uploaded.id.startsWith("file_") && uploaded.size_bytes === PDF.length, `upload answered ${JSON.stringify(uploaded)}`);
  const listed = [];
  for await (const file of api.list()) listed.push(file.id);
  expect(listed.includes(uploaded.id), "the upload is not listed");
  const message = await anthropic.messages.create({ model: MODEL, max_tokens: 256, messages: [{ role: "user", content: [
    { type: "document", source: { type: "file", file_id: uploaded.id } },
    { type: "text", text: "Summarise this document in one sentence." }] }] });
  expect(textOf(message).trim(), `no text: ${JSON.stringify(message.content)}`);
  expect((await api.delete(uploaded.id)).id === uploaded.id, "delete answered another id");
});

await main();
