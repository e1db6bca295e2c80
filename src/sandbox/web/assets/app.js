// The sandbox page: one member's view of the sandbox server. Reads and acts through the driver's HTTP API
// (/_sandbox/...), and re-reads what it shows whenever the server says something changed (/_sandbox/events).
const MESSAGE_COMMAND = 3;
const CHAT_INPUT_COMMAND = 1;
const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;

const view = { world: null, memberId: null, guildId: null, channelId: null, commands: [] };
const byId = (id) => document.getElementById(id);

async function api(path, body) {
  const response = await fetch(`/_sandbox${path}`, body
    ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
    : undefined);
  const json = await response.json();
  if (!response.ok) throw new Error(json.error ?? `HTTP ${response.status}`);
  return json;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

const guild = () => view.world.guilds.find((each) => each.id === view.guildId);
const user = (id) => view.world.users.find((each) => each.id === id);

function displayName(userId) {
  const member = guild()?.members.find((each) => each.user?.id === userId);
  const account = user(userId);
  return member?.nick ?? account?.global_name ?? account?.username ?? `user ${userId}`;
}

/** Mentions as names, and Discord's **bold** as bold; everything else as plain text. */
function richText(text) {
  const named = text.replace(/<@!?(\d+)>/g, (_, id) => `@${displayName(id)}`).replace(/<#(\d+)>/g, (_, id) => `#${channelName(id)}`);
  const fragment = document.createDocumentFragment();
  named.split(/(\*\*[^*]+\*\*)/).forEach((part) => fragment.append(/^\*\*.+\*\*$/.test(part) ? element('strong', {}, part.slice(2, -2)) : part));
  return fragment;
}

const channelName = (id) => guild()?.channels.find((each) => each.id === id)?.name ?? id;

function showNotice(text) {
  const notice = byId('notice');
  notice.textContent = text;
  notice.hidden = !text;
}

// ---- What the member sees ----------------------------------------------------------------------------------

function renderMembers() {
  const select = byId('member');
  const members = guild().members.filter((member) => !member.user?.bot);
  select.replaceChildren(...members.map((member) => element('option', { value: member.user.id, selected: member.user.id === view.memberId }, displayName(member.user.id))));
}

function renderChannels() {
  const textChannels = guild().channels.filter((channel) => channel.type === 0);
  const entries = [...textChannels.map((channel) => ({ id: channel.id, label: `# ${channel.name}` })), { id: 'dm', label: 'Direct messages' }];
  byId('channels').replaceChildren(
    ...entries.map(({ id, label }) =>
      element('li', {}, element('button', { type: 'button', 'aria-current': id === view.channelId ? 'page' : undefined, onclick: () => openChannel(id) }, label)),
    ),
  );
  byId('channel-name').textContent = view.channelId === 'dm' ? 'Direct messages with Steward' : `# ${channelName(view.channelId)}`;
  byId('composer').hidden = view.channelId === 'dm';
  byId('command-form').hidden = view.channelId === 'dm';
}

function renderEmbed(embed) {
  const color = embed.color !== undefined ? `#${embed.color.toString(16).padStart(6, '0')}` : undefined;
  return element(
    'article',
    { class: 'embed', style: color ? `border-left-color: ${color}` : undefined },
    embed.title ? element('h3', {}, richText(embed.title)) : undefined,
    embed.description ? element('p', {}, richText(embed.description)) : undefined,
    embed.fields?.length
      ? element('dl', {}, ...embed.fields.map((field) => element('div', { class: field.inline ? 'field inline' : 'field' }, element('dt', {}, richText(field.name)), element('dd', {}, richText(field.value)))))
      : undefined,
    embed.footer?.text ? element('footer', {}, embed.footer.text) : undefined,
  );
}

function renderComponent(component, message) {
  if (component.type === 2) {
    const label = [component.emoji?.name, component.label].filter(Boolean).join(' ');
    if (component.style === 5) return element('a', { class: 'style-5', href: component.url, target: '_blank', rel: 'noreferrer' }, `${label} ↗`);
    return element('button', { type: 'button', class: `style-${component.style}`, disabled: component.disabled, onclick: () => act(api('/buttons', { userId: view.memberId, channelId: message.channel_id, messageId: message.id, customId: component.custom_id })) }, label);
  }
  if (component.type === 3) {
    const multiple = (component.max_values ?? 1) > 1;
    const select = element(
      'select',
      { 'aria-label': component.placeholder ?? 'Choose', multiple, disabled: component.disabled },
      multiple ? undefined : element('option', { value: '', selected: true, disabled: true }, component.placeholder ?? 'Make a selection'),
      ...component.options.map((option) => element('option', { value: option.value, selected: multiple && option.default }, option.label)),
    );
    const choose = () => {
      const values = [...select.selectedOptions].map((option) => option.value).filter(Boolean);
      act(api('/selects', { userId: view.memberId, channelId: message.channel_id, messageId: message.id, customId: component.custom_id, values }));
    };
    if (!multiple) {
      select.addEventListener('change', choose);
      return select;
    }
    return element('span', {}, select, element('button', { type: 'button', class: 'style-2', onclick: choose }, 'Apply'));
  }
  return element('span', { class: 'note' }, `(component type ${component.type})`);
}

function renderMessage(message) {
  const ephemeral = (message.flags ?? 0) & EPHEMERAL;
  const loading = (message.flags ?? 0) & LOADING;
  const time = new Date(message.timestamp).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const item = element(
    'li',
    { class: `message${ephemeral ? ' ephemeral' : ''}`, 'data-message-id': message.id, tabindex: 0, oncontextmenu: (event) => openAppsMenu(event, message) },
    element('div', { class: 'author' }, displayName(message.author.id), message.author.bot ? element('span', { class: 'badge' }, 'APP') : undefined, element('span', { class: 'time' }, time)),
    loading ? element('div', { class: 'note' }, `${displayName(message.author.id)} is thinking…`) : undefined,
    message.content ? element('div', { class: 'content' }, richText(message.content)) : undefined,
    ...(message.embeds ?? []).map(renderEmbed),
    ...(message.components ?? []).map((row) => element('div', { class: 'row' }, ...(row.components ?? []).map((component) => renderComponent(component, message)))),
    ephemeral ? element('div', { class: 'note' }, 'Only you can see this') : undefined,
  );
  if (view.channelId !== 'dm') {
    item.append(element('button', { type: 'button', class: 'more', 'aria-haspopup': 'menu', 'aria-label': 'Apps for this message', onclick: (event) => openAppsMenu(event, message) }, '⋯'));
  }
  return item;
}

async function refresh() {
  if (!view.memberId) return;
  const messages =
    view.channelId === 'dm'
      ? await api(`/users/${view.memberId}/dms`)
      : [
          ...(await api(`/channels/${view.channelId}/messages`)),
          ...(await api(`/users/${view.memberId}/ephemeral`)).filter((message) => message.channel_id === view.channelId),
        ];
  messages.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const list = byId('messages');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  const focused = document.activeElement?.closest?.('[data-message-id]')?.dataset.messageId;
  list.replaceChildren(...messages.map(renderMessage));
  if (focused) list.querySelector(`[data-message-id="${focused}"]`)?.focus();
  if (atBottom) list.scrollTop = list.scrollHeight;
}

// ---- What the member does -----------------------------------------------------------------------------------

/** Follows an interaction the member started: opens its modal, or says so when the app did not answer. */
async function act(started) {
  showNotice('');
  try {
    const { id } = await started;
    for (let waited = 0; waited < 4_000; waited += 150) {
      const interaction = await api(`/interactions/${id}`);
      if (interaction.modal) return openModal(id, interaction.modal);
      if (interaction.status === 'failed') return showNotice(interaction.responses[0]?.content ?? 'The application did not respond.');
      if (interaction.status === 'acknowledged') return;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  } catch (error) {
    showNotice(error.message);
  }
}

function openAppsMenu(event, message) {
  event.preventDefault();
  const menu = byId('context-menu');
  const apps = view.commands.filter((command) => command.type === MESSAGE_COMMAND);
  menu.replaceChildren(
    element('div', { class: 'label' }, 'Apps'),
    ...apps.map((command) =>
      element('button', { type: 'button', role: 'menuitem', onclick: () => {
        closeMenu();
        act(api('/message-commands', { userId: view.memberId, guildId: view.guildId, channelId: view.channelId, name: command.name, targetMessageId: message.id }));
      } }, command.name),
    ),
  );
  const anchor = event.clientX ? { x: event.clientX, y: event.clientY } : event.currentTarget.getBoundingClientRect();
  menu.style.left = `${anchor.x ?? anchor.left}px`;
  menu.style.top = `${anchor.y ?? anchor.bottom}px`;
  menu.hidden = false;
  menu.querySelector('button')?.focus();
}

function closeMenu() {
  byId('context-menu').hidden = true;
}

function openModal(interactionId, modal) {
  const dialog = byId('modal');
  byId('modal-title').textContent = modal.title;
  const inputs = modal.components.flatMap((row) => row.components ?? (row.component ? [row.component] : []));
  byId('modal-fields').replaceChildren(
    ...inputs.map((input) => {
      const attributes = { name: input.custom_id, id: `field-${input.custom_id}`, required: input.required ?? true, minlength: input.min_length, maxlength: input.max_length, placeholder: input.placeholder };
      const field = input.style === 2 ? element('textarea', { ...attributes, rows: 4 }, input.value ?? '') : element('input', { ...attributes, value: input.value });
      return element('div', {}, element('label', { for: attributes.id }, input.label), field);
    }),
  );
  byId('modal-form').onsubmit = (event) => {
    event.preventDefault();
    const fields = Object.fromEntries(inputs.map((input) => [input.custom_id, byId(`field-${input.custom_id}`).value]));
    dialog.close();
    act(api('/modals', { userId: view.memberId, interactionId, customId: modal.custom_id, fields }));
  };
  byId('modal-cancel').onclick = () => dialog.close();
  dialog.showModal();
}

/** Every runnable path of the slash commands: `/ping`, `/event create`, `/config approvals show`, each with its options. */
function commandPaths() {
  const paths = [];
  const walk = (prefix, options) => {
    const nested = options.filter((option) => option.type === 1 || option.type === 2);
    if (nested.length === 0) return paths.push({ name: prefix, options });
    for (const option of nested) walk(`${prefix} ${option.name}`, option.options ?? []);
  };
  for (const command of view.commands.filter((each) => each.type === CHAT_INPUT_COMMAND)) walk(command.name, command.options ?? []);
  return paths;
}

function renderCommandForm() {
  const paths = commandPaths();
  const select = byId('command-name');
  select.replaceChildren(...paths.map((path) => element('option', { value: path.name }, `/${path.name}`)));
  const showOptions = () => {
    const path = paths.find((each) => each.name === select.value);
    byId('command-options').replaceChildren(
      ...(path?.options ?? []).map((option) =>
        element('label', {}, `${option.name} `, element('input', { name: option.name, 'data-type': option.type, required: option.required, placeholder: option.description })),
      ),
    );
  };
  select.onchange = showOptions;
  showOptions();
}

function commandOptions() {
  const entries = [...byId('command-options').querySelectorAll('input')].filter((input) => input.value !== '');
  return Object.fromEntries(entries.map((input) => {
    const type = Number(input.dataset.type);
    const value = type === 4 || type === 10 ? Number(input.value) : type === 5 ? input.value === 'true' : input.value;
    return [input.name, value];
  }));
}

async function openChannel(channelId) {
  view.channelId = channelId;
  renderChannels();
  await refresh();
}

async function start() {
  view.world = await api('/state');
  const first = view.world.guilds[0];
  if (!first) return showNotice('The sandbox has no server yet.');
  view.guildId = first.id;
  byId('server-name').textContent = first.name;
  const wanted = new URLSearchParams(location.search).get('member');
  view.memberId = first.members.find((member) => member.user.id === wanted || member.user.username === wanted)?.user.id ?? first.members.find((member) => !member.user?.bot)?.user.id;
  view.channelId = first.channels.find((channel) => channel.type === 0)?.id;
  view.commands = await api(`/guilds/${view.guildId}/commands`);
  renderMembers();
  renderChannels();
  renderCommandForm();
  await refresh();

  byId('member').onchange = (event) => {
    view.memberId = event.target.value;
    refresh();
  };
  byId('composer').onsubmit = async (event) => {
    event.preventDefault();
    const text = byId('message-text');
    if (!text.value.trim()) return;
    try {
      await api(`/channels/${view.channelId}/messages`, { userId: view.memberId, content: text.value });
      text.value = '';
    } catch (error) {
      showNotice(error.message);
    }
  };
  byId('command-form').onsubmit = (event) => {
    event.preventDefault();
    act(api('/commands', { userId: view.memberId, guildId: view.guildId, channelId: view.channelId, name: byId('command-name').value, options: commandOptions() }));
  };
  document.addEventListener('click', (event) => !event.target.closest('#context-menu, .more') && closeMenu());
  document.addEventListener('keydown', (event) => event.key === 'Escape' && closeMenu());

  // Live: re-read on every change; the server coalesces bursts. Commands registered later show up too.
  const changes = new EventSource('/_sandbox/events');
  changes.addEventListener('change', () => refresh().catch((error) => showNotice(error.message)));
  document.body.dataset.ready = 'true';
}

start().catch((error) => showNotice(error.message));
