/**
 * A realistic, large config.toml for the editing benches: top-level keys, then many tables of
 * the families a Codex config has (model_providers, mcp_servers, projects, profiles), each with
 * comments above and inside, strings, numbers, arrays, inline tables and blank lines.
 * Deterministic: the same size always gives the same text.
 */
const FAMILIES = ['mcp_servers', 'projects', 'model_providers', 'profiles', 'tui_themes'];

function block(i) {
  const family = FAMILIES[i % FAMILIES.length];
  const name = family === 'projects' ? `"/home/dev/src/project-${i}"` : `item-${i}`;
  const lines = [
    `# ${family} entry ${i}: generated for the editing benchmark`,
    `# a second comment line, so comment handling is exercised (${'x'.repeat(i % 17)})`,
    `[${family}.${name}]`,
  ];
  switch (family) {
    case 'mcp_servers':
      lines.push(`command = "server-${i}"`, `args = ["--port", "${8000 + (i % 1000)}", "--verbose"]`, `env = { TOKEN_NAME = "T_${i}", LEVEL = "debug" }`, `startup_timeout_sec = ${10 + (i % 50)}`);
      break;
    case 'projects':
      lines.push(`trust_level = "${i % 2 ? 'trusted' : 'untrusted'}"`);
      break;
    case 'model_providers':
      lines.push(`name = "Provider ${i}"`, `base_url = "http://127.0.0.1:${10000 + (i % 5000)}/v1"`, `wire_api = "responses"`, '# retries for flaky servers', `request_max_retries = ${i % 7}`);
      break;
    case 'profiles':
      lines.push(`model = "model-${i}:8b"`, `model_provider = "ollama"`, `model_context_window = ${4096 * (1 + (i % 32))}`, `approval_policy = "on-request"  # trailing comment`);
      break;
    default:
      lines.push(`colour = 0x${(i * 2654435761 % 0xffffff).toString(16).padStart(6, '0')}`, `ratio = ${(i % 100) / 10}`, `enabled = ${i % 3 === 0}`, `notes = '''\nliteral text ${i}\nover two lines'''`);
  }
  return lines.join('\n') + '\n\n';
}

/** Text of about `bytes` bytes (never less), ending with a newline. */
export function generateConfig(bytes) {
  const head = '# Codex configuration (generated for codex-profiles benchmarks)\nmodel = "gpt-5"\nmodel_provider = "openai"\napproval_policy = "on-request"\n\n';
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const b = block(i);
    parts.push(b);
    size += b.length;
  }
  return parts.join('');
}
