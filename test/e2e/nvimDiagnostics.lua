-- Run by `nvim --headless --clean -c "luafile nvimDiagnostics.lua"` (test/e2e/neovim.test.ts).
-- Starts our server with Neovim 0.7's own LSP client, opens one file, waits for its
-- diagnostics and writes them to a JSON file. Parameters come from the environment.
local server = assert(os.getenv('FLASH_E2E_SERVER'), 'FLASH_E2E_SERVER')
local root = assert(os.getenv('FLASH_E2E_ROOT'), 'FLASH_E2E_ROOT')
local file = assert(os.getenv('FLASH_E2E_FILE'), 'FLASH_E2E_FILE')
local out = assert(os.getenv('FLASH_E2E_OUT'), 'FLASH_E2E_OUT')
local timeout = tonumber(os.getenv('FLASH_E2E_TIMEOUT_MS') or '60000')

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()

local client_id = vim.lsp.start_client({
  name = 'flash',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
})
vim.lsp.buf_attach_client(bufnr, client_id)

local started = vim.loop.hrtime()
local arrived = vim.wait(timeout, function()
  return #vim.diagnostic.get(bufnr) > 0
end, 50)

local result = {
  arrived = arrived,
  elapsed_ms = (vim.loop.hrtime() - started) / 1e6,
  filetype = vim.bo[bufnr].filetype,
  diagnostics = vim.diagnostic.get(bufnr),
}
vim.fn.writefile({ vim.fn.json_encode(result) }, out)

-- A clean LSP shutdown (shutdown request, exit notification) before quitting.
vim.lsp.stop_client(client_id)
vim.wait(5000, function()
  return vim.lsp.get_client_by_id(client_id) == nil
end, 50)
vim.cmd('qa!')
