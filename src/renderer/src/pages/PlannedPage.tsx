import { Alert, Card, CardContent, List, ListItem, ListItemText, Typography } from '@mui/material';

/** A page whose feature has not landed yet: it says what it will hold, and shows no made-up data. */
export function PlannedPage({ title, intro, items }: { title: string; intro: string; items: string[] }) {
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h5" component="h1" gutterBottom>
          {title}
        </Typography>
        <Typography color="text.secondary">{intro}</Typography>
        <List dense>
          {items.map((item) => (
            <ListItem key={item}>
              <ListItemText primary={item} />
            </ListItem>
          ))}
        </List>
        <Alert severity="info">Not available in this version yet.</Alert>
      </CardContent>
    </Card>
  );
}
