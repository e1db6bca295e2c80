// Local servers speaking the Anthropic, OpenAI and Gemini wire protocols, for tests that run the real SDKs.
export { startAnthropicServer } from './anthropic-server.js';
export { startGeminiServer } from './gemini-server.js';
export { startOpenAiServer } from './openai-server.js';
export type { RecordedRequest, ScriptedLlmServer, ScriptedReply, ScriptedServerOptions } from './scripted-server.js';
