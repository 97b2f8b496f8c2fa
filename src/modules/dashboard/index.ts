export { dashboardRouter } from './dashboard.routes';
