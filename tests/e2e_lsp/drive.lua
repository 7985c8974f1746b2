-- Neovim's built-in language client driving `eligo lsp` on a policy folder with an error (run by
-- tests/e2e_lsp.rs, headless). Writes what it saw as JSON to $ELIGO_E2E_OUT and quits; every
-- wait is bounded, and a step that times out records what it had.
--
--   ELIGO_BIN      the eligo binary      ELIGO_E2E_DIR  the policy folder      ELIGO_E2E_OUT  the report
local bin, dir, out = os.getenv("ELIGO_BIN"), os.getenv("ELIGO_E2E_DIR"), os.getenv("ELIGO_E2E_OUT")
local report = { steps = {} }
local WAIT = 60000

local function save()
  local f = assert(io.open(out, "w"))
  f:write(vim.json.encode(report))
  f:close()
end

local function step(name, fn)
  local ok, err = pcall(fn)
  report.steps[#report.steps + 1] = name
  if not ok then
    report.errors = report.errors or {}
    report.errors[#report.errors + 1] = name .. ": " .. tostring(err)
  end
  save()
end

vim.filetype.add({ extension = { elg = "eligo" } })
vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/broken.elg"))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start({
  name = "eligo",
  cmd = { bin, "lsp" },
  root_dir = dir,
  init_options = { liveValues = { factsFile = "", asOf = "" } },
}, { bufnr = buf })
report.started = client_id ~= nil
local client = vim.lsp.get_client_by_id(client_id)

local function position(line, character)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = character } }
end

local function request(method, params)
  local answer, err = client:request_sync(method, params, WAIT, buf)
  if not answer then error(method .. ": " .. tostring(err)) end
  if answer.err then error(method .. ": " .. vim.inspect(answer.err)) end
  return answer.result
end

step("diagnostics", function()
  vim.wait(WAIT, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  report.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    report.diagnostics[#report.diagnostics + 1] = { lnum = d.lnum, col = d.col, code = d.code, message = d.message }
  end
end)

step("fix", function()
  -- Typing the fix (not saved): the error goes; the warning that no outcome uses the rule stays.
  vim.api.nvim_buf_set_lines(buf, 4, 5, false, { "rule broken: Bool = qualifies and customers > 0" })
  local errors = { severity = vim.diagnostic.severity.ERROR }
  report.cleared = vim.wait(WAIT, function() return #vim.diagnostic.get(buf, errors) == 0 end, 50)
  vim.wait(WAIT, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  report.after_fix = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    report.after_fix[#report.after_fix + 1] = { code = d.code, warning = d.severity == vim.diagnostic.severity.WARN }
  end
end)

step("hover", function()
  local result = request("textDocument/hover", position(4, 22))
  report.hover = result and result.contents and result.contents.value
end)

step("definition", function()
  -- The real command: the window jumps to rules.elg, at the rule's name.
  vim.api.nvim_win_set_cursor(0, { 5, 22 })
  vim.lsp.buf.definition()
  vim.wait(WAIT, function() return vim.api.nvim_get_current_buf() ~= buf end, 50)
  report.definition = {
    file = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ":t"),
    cursor = vim.api.nvim_win_get_cursor(0),
  }
  vim.cmd("buffer " .. buf)
end)

step("completion", function()
  vim.api.nvim_buf_set_lines(buf, 5, 5, false, { "rule other: Bool = qu" })
  local result = request("textDocument/completion", position(5, 21))
  local items = result.items or result
  report.completion = {}
  for _, item in ipairs(items) do report.completion[#report.completion + 1] = item.label end
  vim.api.nvim_buf_set_lines(buf, 5, 6, false, {})
end)

step("formatting", function()
  vim.api.nvim_buf_set_lines(buf, 4, 5, false, { "rule   broken :Bool=qualifies and customers>0" })
  vim.lsp.buf.format({ bufnr = buf, async = false, timeout_ms = WAIT })
  report.formatted = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end)

step("inlay hints", function()
  -- Live values for the project file's facts (eligo.toml).
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/rules.elg"))
  local rules = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(rules, client_id)
  vim.lsp.inlay_hint.enable(true, { bufnr = rules })
  vim.wait(WAIT, function() return #vim.lsp.inlay_hint.get({ bufnr = rules }) > 0 end, 50)
  report.hints = {}
  for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = rules })) do
    local label = h.inlay_hint.label
    if type(label) == "table" then
      local parts = {}
      for _, p in ipairs(label) do parts[#parts + 1] = p.value end
      label = table.concat(parts)
    end
    report.hints[#report.hints + 1] = { line = h.inlay_hint.position.line, label = label }
  end
end)

report.done = true
save()
client:stop()
vim.wait(5000, function() return client:is_stopped() end, 50)
vim.cmd("qa!")
