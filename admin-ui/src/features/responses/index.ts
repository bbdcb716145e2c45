export { ResponsesPage } from './ResponsesPage';
