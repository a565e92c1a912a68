{
  "targets": [
    {
      "target_name": "tsemu_native",
      "sources": ["<!@(node -p \"require('fs').readdirSync('native').filter(f=>f.endsWith('.cc')).map(f=>'native/'+f).join(' ')\")"],
      "include_dirs": ["<!@(node -p \"require('node-addon-api').include\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O2"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"]
    },
    {
      "target_name": "tsemu-launcher",
      "type": "executable",
      "sources": ["native/launcher/launcher.c"],
      "defines": ["TSEMU_NODE=\"<!(node -p process.execPath)\""],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "ldflags": ["-static"]
    }
  ]
}
