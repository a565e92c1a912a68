-- lua bench: an LCG, table.sort with and without a comparator, string.format and concat, word counts in a table, recursion.
local seed = 42
local function rnd() seed = (seed * 1103515245 + 12345) % 2147483648; return seed end
local t = {}
for i = 1, 300000 do t[i] = rnd() % 1000000 end
table.sort(t)
local counts = {}
local parts = {}
for i = 1, 200000 do
  local w = string.format('w%d', t[i] % 5000)
  counts[w] = (counts[w] or 0) + 1
  if i % 1000 == 0 then parts[#parts + 1] = w end
end
local keys = {}
for k in pairs(counts) do keys[#keys + 1] = k end
table.sort(keys, function(a, b) return counts[a] > counts[b] or (counts[a] == counts[b] and a < b) end)
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local s = table.concat(parts, ',')
print(t[1], t[#t], #keys, keys[1], counts[keys[1]], fib(27), #s, s:sub(1, 40))
