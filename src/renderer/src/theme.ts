import { createTheme, type PaletteMode } from '@mui/material/styles';

export function buildTheme(mode: PaletteMode) {
  return createTheme({
    palette: {
      mode,
      primary: { main: mode === 'light' ? '#2f5d8a' : '#8fb8e8' },
      secondary: { main: mode === 'light' ? '#a2466b' : '#e79ab9' },
    },
    shape: { borderRadius: 8 },
  });
}
