import {
  AppBar,
  Box,
  CssBaseline,
  Drawer,
  IconButton,
  List,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  Toolbar,
  Tooltip,
  Typography,
} from '@mui/material';
import { ThemeProvider } from '@mui/material/styles';
import useMediaQuery from '@mui/material/useMediaQuery';
import AssessmentIcon from '@mui/icons-material/Assessment';
import DarkModeIcon from '@mui/icons-material/DarkMode';
import DescriptionIcon from '@mui/icons-material/Description';
import GroupsIcon from '@mui/icons-material/Groups';
import HomeIcon from '@mui/icons-material/Home';
import InfoOutlinedIcon from '@mui/icons-material/InfoOutlined';
import LightModeIcon from '@mui/icons-material/LightMode';
import ModelTrainingIcon from '@mui/icons-material/ModelTraining';
import PsychologyIcon from '@mui/icons-material/Psychology';
import SlideshowIcon from '@mui/icons-material/Slideshow';
import { useMemo, useState, type ReactElement } from 'react';
import { AboutDialog } from './components/AboutDialog';
import { ErrorSurfaceProvider } from './components/ErrorSurface';
import { DemoBanner } from './components/demo/DemoBanner';
import { PAGES, useCurrentPage, type PageId } from './navigation';
import { HomePage } from './pages/HomePage';
import { CohortsPage } from './pages/CohortsPage';
import { BrainPage } from './pages/BrainPage';
import { ReportPage } from './pages/ReportPage';
import { ResultsPage } from './pages/ResultsPage';
import { TrainPage } from './pages/TrainPage';
import { PRESENTATION_SHORTCUT, PRESENTATION_ZOOM, usePresentationMode } from './presentationMode';
import { buildTheme } from './theme';

const DRAWER_WIDTH = 200;

const PAGE_VIEWS: Record<PageId, { icon: ReactElement; view: () => ReactElement }> = {
  home: { icon: <HomeIcon />, view: HomePage },
  cohorts: { icon: <GroupsIcon />, view: CohortsPage },
  train: { icon: <ModelTrainingIcon />, view: TrainPage },
  results: { icon: <AssessmentIcon />, view: ResultsPage },
  brain: { icon: <PsychologyIcon />, view: BrainPage },
  report: { icon: <DescriptionIcon />, view: ReportPage },
};

function useThemeMode(): ['light' | 'dark', () => void] {
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)');
  const [chosen, setChosen] = useState<'light' | 'dark' | null>(() => {
    const saved = window.localStorage.getItem('neurolip.theme');
    return saved === 'light' || saved === 'dark' ? saved : null;
  });
  const mode = chosen ?? (prefersDark ? 'dark' : 'light');
  const toggle = (): void => {
    const next = mode === 'dark' ? 'light' : 'dark';
    window.localStorage.setItem('neurolip.theme', next);
    setChosen(next);
  };
  return [mode, toggle];
}

export function App() {
  const [mode, toggleMode] = useThemeMode();
  const theme = useMemo(() => buildTheme(mode), [mode]);
  const [page, goTo] = useCurrentPage();
  const [aboutOpen, setAboutOpen] = useState(false);
  const [presenting, togglePresenting] = usePresentationMode();
  const inDemo = (page === 'results' || page === 'brain') && /[?&]demo=1\b/.test(window.location.hash);
  const Page = PAGE_VIEWS[page].view;

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <ErrorSurfaceProvider>
        <Box sx={{ display: 'flex' }}>
          <AppBar position="fixed" sx={{ zIndex: (t) => t.zIndex.drawer + 1 }}>
            <Toolbar>
              <Typography variant="h6" component="div" sx={{ flexGrow: 1 }}>
                NeuroLIP Studio
              </Typography>
              <Tooltip title={`${presenting ? 'Leave' : 'Start'} presentation mode (${PRESENTATION_SHORTCUT})`}>
                <IconButton color="inherit" onClick={togglePresenting} aria-label="Presentation mode" aria-pressed={presenting}>
                  <SlideshowIcon />
                </IconButton>
              </Tooltip>
              <Tooltip title={mode === 'dark' ? 'Light theme' : 'Dark theme'}>
                <IconButton color="inherit" onClick={toggleMode} aria-label="Toggle light and dark theme">
                  {mode === 'dark' ? <LightModeIcon /> : <DarkModeIcon />}
                </IconButton>
              </Tooltip>
              <Tooltip title="About">
                <IconButton color="inherit" onClick={() => setAboutOpen(true)} aria-label="About NeuroLIP Studio">
                  <InfoOutlinedIcon />
                </IconButton>
              </Tooltip>
            </Toolbar>
          </AppBar>
          {!presenting && (
            <Drawer variant="permanent" sx={{ width: DRAWER_WIDTH, flexShrink: 0, '& .MuiDrawer-paper': { width: DRAWER_WIDTH } }}>
              <Toolbar />
              <List component="nav" aria-label="Pages">
                {PAGES.map(({ id, title }) => (
                  <ListItemButton key={id} selected={page === id} onClick={() => goTo(id)}>
                    <ListItemIcon>{PAGE_VIEWS[id].icon}</ListItemIcon>
                    <ListItemText primary={title} />
                  </ListItemButton>
                ))}
              </List>
            </Drawer>
          )}
          <Box component="main" sx={{ flexGrow: 1, p: 3, ...(presenting ? { zoom: PRESENTATION_ZOOM } : {}) }} data-presenting={presenting}>
            <Toolbar />
            {inDemo && <DemoBanner page={page} />}
            <Page />
          </Box>
        </Box>
        {aboutOpen && <AboutDialog open onClose={() => setAboutOpen(false)} />}
      </ErrorSurfaceProvider>
    </ThemeProvider>
  );
}
